/**
 * The downward API's shared field logic (upstream pkg/fieldpath and the
 * resource helpers of pkg/api/v1/resource), used by container environments
 * (env/) and downwardAPI volumes (volumes/). Pure; failures are FieldPathErrors.
 */
export { limitsWithAllocatable, type NodeAllocatable } from "./allocatable.js";
export { findContainer } from "./container.js";
export { FieldPathError } from "./errors.js";
export { formatMap } from "./format-map.js";
export { goQuote } from "./go-quote.js";
export { extractFieldPathAsString } from "./metadata.js";
export { quantityOf, type ResourceList } from "./quantity.js";
export { containerResourceValue, type ResourceLists } from "./resource-value.js";
export { splitSubscript } from "./subscript.js";
