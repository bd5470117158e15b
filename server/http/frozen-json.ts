const texts = new WeakMap<object, string>();

/**
 * JSON text of a value, remembered per object when the object is frozen: rows held by the read
 * caches are the same frozen objects from one response to the next, so each is serialised once
 * (a page of 50 rows spent most of its time in JSON.stringify before).
 */
export function frozenJson(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}
