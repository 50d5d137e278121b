/** One section of `npm run bench`: a table, each figure beside its baseline from the same run. */
export interface BenchSection {
  title: string;
  rows: Array<Record<string, string | number>>;
  /** Goals checked and other remarks, one line each. */
  notes?: string[];
}

export interface BenchOptions {
  /** A smoke run: smaller sizes, well under a minute in all. */
  quick: boolean;
}

export type Bench = (options: BenchOptions) => Promise<BenchSection>;
