/** A JSON value: what action params, audit details and webhook bodies can carry. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
