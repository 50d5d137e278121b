/** Small statistics and formatting shared by the benches. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Smallest and largest, as a spread to print beside a median. */
export function spread(xs: readonly number[], digits = 0): string {
  if (xs.length === 0) return '';
  return `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
}

export const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

export const times = (ratio: number, digits = 2) => `${ratio.toFixed(digits)}x`;

/** `goal: … — met` / `— NOT met`: the line the runner prints for every goal. */
export interface Goal {
  text: string;
  /** undefined when the figure could not be measured in this run. */
  met: boolean | undefined;
}

export function goalLine(goal: Goal): string {
  const verdict = goal.met === undefined ? 'not measured' : goal.met ? 'met' : 'NOT met';
  return `goal: ${goal.text} — ${verdict}`;
}
