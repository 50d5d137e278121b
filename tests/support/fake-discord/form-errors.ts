/**
 * Builds the nested `errors` object of a Discord 50035 "Invalid Form Body" answer:
 * `{ embeds: { 0: { title: { _errors: [{ code, message }] } } } }`.
 */
import type { RESTErrorData, RESTErrorFieldInformation } from 'discord-api-types/v10';

export type ErrorPath = readonly (string | number)[];

interface ErrorNode {
  [key: string]: ErrorNode | RESTErrorFieldInformation[];
}

export class FormErrors {
  readonly #tree: ErrorNode = {};
  #count = 0;

  /** The `errors` value of the response body. */
  get tree(): RESTErrorData {
    // A node mixes `_errors` arrays and child nodes, which RESTErrorData's union cannot express.
    return this.#tree as RESTErrorData;
  }

  get empty(): boolean {
    return this.#count === 0;
  }

  add(path: ErrorPath, code: string, message: string): void {
    let node = this.#tree;
    for (const key of path) {
      const next = node[String(key)];
      if (next === undefined || Array.isArray(next)) {
        const child: ErrorNode = {};
        node[String(key)] = child;
        node = child;
      } else {
        node = next;
      }
    }
    const list = (node._errors as RESTErrorFieldInformation[] | undefined) ?? [];
    list.push({ code, message });
    node._errors = list;
    this.#count += 1;
  }

  /** `value` (a string, when present) must be at most `max` characters. */
  maxLength(path: ErrorPath, value: unknown, max: number): void {
    if (typeof value === 'string' && length(value) > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }

  /** `value` must be a string of `min`..`max` characters. */
  lengthBetween(path: ErrorPath, value: unknown, min: number, max: number): void {
    if (typeof value !== 'string') {
      this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (length(value) < min || length(value) > max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
  }

  /** An array (when present) must hold at most `max` entries. */
  maxItems(path: ErrorPath, value: unknown, max: number): void {
    if (Array.isArray(value) && value.length > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }
}

/**
 * Discord counts characters as Unicode code points, so an emoji made of a surrogate pair is one.
 * A bot that clips by UTF-16 `.length` stays within the limit either way.
 */
export function length(text: string): number {
  return [...text].length;
}
