/** Types for bin/build.mjs (plain JavaScript: it runs before anything is compiled). */
export function ensureBuilt(root?: string): Promise<string>;
export function isFresh(root?: string): boolean;
export function build(root?: string): Promise<void>;
