/**
 * The days of the story window in memory: for each day, which of its members each band and each
 * canonical link points at, derived from the day's member log (story-index-records.ts). A decision
 * looks its candidates up here and reads only those members from the store, so its cost follows
 * how many members resemble it, not how many the window holds.
 *
 * The memory is a cache of the store, never the other way round: a day is loaded from its log when
 * a decision first needs it, brought up to date when its log grew elsewhere (another process, or
 * writes this one could not confirm), started over when its log is shorter than what is loaded
 * (pruned), and dropped once it falls out of every window.
 *
 * Per day, one open-addressing table of 32-bit keys in typed arrays (8 bytes a slot, at most 70 %
 * full) and a chain of 4 bytes per entry (25 keys a member): at 5,500 members a day (a million
 * over half a year) 1–3 MB a day, a few days at a time. Object maps of the same entries took
 * over five times that.
 */
import type { StoryFeatures } from '../stories/features';
import { bandHashes, hash32, mix32 } from '../stories/minhash';
import type { KV } from './kv';
import { type MemberRecord, memberKey, termsOf } from './story-index-records';

/** Members read per `getMany` when a day is loaded. */
const LOAD_BATCH = 1_000;
/**
 * Members read per band key and day, the newest: a pair of terms that a good part of a busy day's
 * news shares ("Kazakhstan" and "Uzbekistan") says little, and must not cost a walk through all of
 * it; a report of the same event shares other, rarer pairs too.
 */
const BUCKET_READ = 4;
/** Members with the item's link that are compared: the newest (see `linked`). */
const LINKED = 2;
const LANG_SALT: Record<StoryFeatures['lang'], number> = {
  en: 0x2545f491,
  ru: 0x6a09e667,
  other: 0x3c6ef372,
};
const LINK_SALT = 0x510e527f;

type Keyed = Pick<StoryFeatures, 'lang' | 'bands' | 'link'>;

const bandKeys = (f: Keyed) => f.bands.map((h) => mix32(h, LANG_SALT[f.lang]));
const linkKeyOf = (link: string) => mix32(hash32(link), LINK_SALT);

/**
 * Key → ordinals of one day's members, newest first. Each distinct key has one slot of an
 * open-addressing table, pointing at the newest of its entries in a chain; the chains live in one
 * more typed array. (Keys repeated in the probe sequence itself, one slot per member, made every
 * lookup near a common key walk all of its members.) A member's entries are consecutive, so an
 * entry's ordinal is found from the member's first entry rather than stored with each of its 25
 * entries: a fifth less memory for a few steps of a binary search per member read.
 */
class DayTable {
  private keys = new Uint32Array(256);
  private heads = new Int32Array(256);
  private distinct = 0;
  private next = new Int32Array(256);
  private entries = 0;
  /** Per member filed, in filing order: its first entry, and its ordinal. */
  private starts = new Int32Array(16);
  private ords = new Int32Array(16);
  private members = 0;
  /** Members loaded or added: the day's next ordinal. */
  count = 0;

  /** Files member `ord` under `keys`. */
  add(ord: number, keys: readonly number[]): void {
    if (this.members === this.starts.length) {
      this.starts = grown(this.starts);
      this.ords = grown(this.ords);
    }
    this.starts[this.members] = this.entries;
    this.ords[this.members++] = ord;
    for (const key of keys) this.fileEntry(key);
  }

  /** The newest `limit` members filed under `key`. */
  each(key: number, limit: number, visit: (ord: number) => void): void {
    const slot = this.slotOf(key || 1);
    if (this.keys[slot] === 0) return;
    for (let e = this.heads[slot]!, n = 0; e >= 0 && n < limit; e = this.next[e]!, n++)
      visit(this.ordOf(e));
  }

  private fileEntry(key: number): void {
    if ((this.distinct + 1) * 10 > this.keys.length * 7) this.grow();
    if (this.entries === this.next.length) this.next = grown(this.next);
    const slot = this.slotOf(key || 1); // 0 marks an empty slot
    if (this.keys[slot] === 0) {
      this.keys[slot] = key || 1;
      this.heads[slot] = -1;
      this.distinct++;
    }
    this.next[this.entries] = this.heads[slot]!;
    this.heads[slot] = this.entries++;
  }

  /** The ordinal of the member an entry belongs to: the last one whose first entry is not after it. */
  private ordOf(entry: number): number {
    let [lo, hi] = [0, this.members - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= entry) lo = mid;
      else hi = mid - 1;
    }
    return this.ords[lo]!;
  }

  /** The slot holding `key`, or the empty one where it would go. */
  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let i = key & mask;
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { keys, heads } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.heads = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      const slot = this.slotOf(keys[i]!);
      this.keys[slot] = keys[i]!;
      this.heads[slot] = heads[i]!;
    }
  }
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}

export interface WindowMember {
  day: string;
  ord: number;
}

export class StoryWindow {
  private readonly days = new Map<string, DayTable>();

  constructor(private readonly kv: KV) {}

  /** The next ordinal of a synced day. */
  next(day: string): number {
    return this.days.get(day)?.count ?? 0;
  }

  /** Brings each day to the length its log has in the store (`stored`: day → its sequence). */
  async sync(stored: Map<string, number>): Promise<void> {
    for (const [day, length] of stored) {
      let table = this.days.get(day);
      // Shorter than the memory: pruned, or this process's last write to it failed.
      if (!table || table.count > length) this.days.set(day, (table = new DayTable()));
      while (table.count < length) {
        const from = table.count;
        const to = Math.min(length, from + LOAD_BATCH);
        const ords = Array.from({ length: to - from }, (_, i) => from + i);
        const records = await this.kv.getMany<MemberRecord>(ords.map((o) => memberKey(day, o)));
        // A member missing from its log (a write cut short on Redis or PostgreSQL) is skipped.
        records.forEach((r, i) => {
          if (r)
            table!.add(
              ords[i]!,
              keysOf({ lang: r.lang, bands: bandHashes(termsOf(r)), link: r.l }),
            );
        });
        table.count = to;
      }
    }
  }

  /** Files a member just decided under its day (synced), at ordinal `ord`. */
  add(day: string, ord: number, f: Keyed): void {
    const table = this.days.get(day);
    if (!table) throw new Error(`story window: day ${day} is not loaded`);
    table.add(ord, keysOf(f));
    table.count = Math.max(table.count, ord + 1);
  }

  /**
   * The newest LINKED members of `days` filed under the item's link: its story, unless they are
   * too old (a link a feed repeats, or several feeds carry, would otherwise fill every slot).
   */
  linked(days: readonly string[], link: string | undefined): WindowMember[] {
    if (link === undefined) return [];
    const key = linkKeyOf(link);
    const found: WindowMember[] = [];
    for (const day of [...days].reverse()) {
      const ords: number[] = [];
      this.days.get(day)?.each(key, LINKED, (ord) => ords.push(ord));
      for (const ord of ords.sort((a, b) => b - a)) found.push({ day, ord });
      if (found.length >= LINKED) break;
    }
    return found.slice(0, LINKED);
  }

  /**
   * The members of `days` that share a band with the item, those sharing the most first and,
   * among equals, the newest; at most `max`, none of `except`.
   */
  alike(days: readonly string[], f: Keyed, max: number, except: WindowMember[]): WindowMember[] {
    const votes = new Map<number, number>();
    const keys = bandKeys(f);
    days.forEach((day, d) => {
      const table = this.days.get(day);
      if (!table) return;
      for (const key of keys)
        table.each(key, BUCKET_READ, (ord) => {
          const id = d * 2 ** 32 + ord;
          votes.set(id, (votes.get(id) ?? 0) + 1);
        });
    });
    for (const m of except) votes.delete(days.indexOf(m.day) * 2 ** 32 + m.ord);
    return [...votes]
      .sort(([a, va], [b, vb]) => vb - va || b - a)
      .slice(0, max)
      .map(([id]) => ({ day: days[Math.floor(id / 2 ** 32)]!, ord: id % 2 ** 32 }));
  }

  /** Forgets days, to be loaded again from the store when next needed. */
  forget(days: Iterable<string>): void {
    for (const day of days) this.days.delete(day);
  }

  /** Forgets the days before `day`. */
  forgetBefore(day: string): void {
    for (const d of this.days.keys()) if (d < day) this.days.delete(d);
  }
}

/** The keys a member is filed under: its bands (in its language) and its link. */
const keysOf = (f: Keyed) =>
  f.link === undefined ? bandKeys(f) : [...bandKeys(f), linkKeyOf(f.link)];

/**
 * The members of one batch, before they are written, found as the window finds its members: by
 * the same link or a band in common, the newest BUCKET_READ per key (a feed's ten thousand new
 * items are not compared each with all the others).
 */
export class BatchIndex<M extends { f: Keyed }> {
  private readonly byKey = new Map<number, M[]>();
  /**
   * Members added since the last lookup, filed when one comes: a batch whose items all join
   * their stories by link never looks any up.
   */
  private readonly unfiled: M[] = [];

  near(f: Keyed): M[] {
    for (const m of this.unfiled.splice(0)) this.file(m);
    const found = new Set<M>();
    for (const key of keysOf(f))
      for (const m of this.byKey.get(key)?.slice(-BUCKET_READ) ?? []) found.add(m);
    return [...found];
  }

  add(m: M): void {
    this.unfiled.push(m);
  }

  private file(m: M): void {
    for (const key of keysOf(m.f)) {
      const list = this.byKey.get(key);
      if (list) list.push(m);
      else this.byKey.set(key, [m]);
    }
  }
}
