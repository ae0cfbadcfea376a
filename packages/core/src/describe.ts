/** Renders a received value for an error message: `0`, `"abc"`, `undefined`, `a function`, `{"a":1}`. */
export const describeValue = (value: unknown): string => {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
};
