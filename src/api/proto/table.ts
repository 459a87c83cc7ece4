/**
 * The shape of the generated message table (messages.ts) and the flag bits
 * its rows carry. A row describes one protobuf field of a Kubernetes message
 * together with what the Go type behind it means for the JSON encoding.
 */

/**
 * One field: `[number, jsonName, type, flags]`.
 *
 * `type` is a protobuf scalar name (`string`, `int32`, `int64`, `bool`,
 * `double`, `bytes`, ...; always lower case), a message (`PodSpec`, a bare
 * capitalised name, lives in the same protobuf package as the message that
 * holds the row; anything else is fully qualified,
 * `k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta`), or
 * `map:<keyScalar>:<valueType>`.
 * `jsonName` is the Go json tag name ("" for an embedded struct whose fields
 * are promoted into the parent object).
 */
export type FieldRow = readonly [number: number, jsonName: string, type: string, flags: number];

/** The field is `repeated` (a Go slice). */
export const REPEATED = 1;
/** The Go field is a pointer: present means emitted, even when zero. */
export const POINTER = 2;
/** The Go json tag has `omitempty`: zero scalars and empty lists/maps are dropped. */
export const OMITEMPTY = 4;
/** The Go field is an embedded struct without a json name: its fields join the parent. */
export const INLINE = 8;
/** The message wraps a named Go slice (`type Verbs []string`): its JSON is this field's array. */
export const ITEMS = 16;
