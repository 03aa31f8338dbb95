/** A GraphQL enum object (value = name) from a vocabulary list, for `registerEnumType`. */
export function enumOf<V extends string>(values: readonly V[]): { [K in V]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in V]: K };
}
