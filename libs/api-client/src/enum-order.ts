/**
 * Every value of a generated GraphQL enum (`@fleetwave/api-client`), in the order people read them:
 * the schema sorts enum values alphabetically, help texts and errors list them in lifecycle order.
 * The compiler refuses an order that misses a value or names one the schema does not have.
 */
export function inOrder<E extends Record<string, string>>(
  _values: E,
): <const L extends readonly E[keyof E][]>(
  order: L & ([Exclude<E[keyof E], L[number]>] extends [never] ? unknown : never),
) => L {
  return (order) => order;
}
