/**
 * Text made harmless for a terminal. Feed text (titles, summaries, even a parser's error message
 * quoting a character) reaches the operator's terminal through `briefing match` — run on a URL
 * nobody trusts yet — console briefings, `query` and the logs. A terminal obeys escape sequences
 * wherever they come from: OSC sets the window title or (OSC 52) writes the clipboard, CSI clears
 * the screen or moves the cursor, C1 bytes do the same in one character, and bidi overrides make
 * a line read differently from what it holds. All of that is removed here; the only sequences
 * kept are the few colours this program paints with itself.
 *
 * Every regex is a negated class or a fixed pattern, so the cost stays linear on hostile input
 * (thousands of unterminated sequences).
 */

/**
 * One pass, left to right, alternatives in this order: OSC, DCS, SOS, PM and APC strings
 * (introducer, payload, then BEL or ST or the line's end); CSI sequences, 7-bit and C1
 * (parameters, intermediates, final byte); any other escape (ESC and the character after it); C0
 * but tab and newline, DEL, C1, and the bidi embedding, override and isolate controls.
 */
const UNSAFE =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b[\s\S]?|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** The colours src/delivery/render-console.ts paints with (bold, dim, yellow, cyan, and resets). */
const OWN_COLOURS = new Set(['\x1b[1m', '\x1b[22m', '\x1b[2m', '\x1b[33m', '\x1b[36m', '\x1b[39m']);

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (seq) => (OWN_COLOURS.has(seq) ? seq : ''));
}
