const texts = new WeakMap<object, string>();

/**
 * JSON text of a value, remembered per object when the object is frozen: rows held by the read
 * caches are the same frozen objects from one response to the next, so each is serialised once
 * (a page of 50 rows spent most of its time in JSON.stringify before).
 */
export function frozenJson(value: object): string {
  return frozenJsonOf(value, (v) => v);
}

/** The same for what `render` makes of a frozen value (e.g. the API view of a cached record); `render` must be pure. */
export function frozenJsonOf<T extends object>(value: T, render: (value: T) => unknown): string {
  if (!Object.isFrozen(value)) return JSON.stringify(render(value));
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(render(value));
    texts.set(value, text);
  }
  return text;
}
