/**
 * Server-side apply and managedFields, as upstream's structured-merge-diff
 * and the API server's field manager do them. Pure: no I/O, time is passed in.
 *
 * - applyConfiguration(): PATCH application/apply-patch+yaml.
 * - updateManagedFields(): create, update and the other patch types.
 * - fieldManagerFor(): the manager name of a request.
 * - FieldsV1 conversion and field-set arithmetic for tools and tests.
 */
export { type ApplyOptions, type ApplyResult, applyConfiguration } from "./apply.js";
export {
  ApplyBadRequestError,
  type ApplyConflict,
  ApplyConflictError,
  ApplyError,
  ApplySchemaError,
  type ConflictCause,
  FieldsV1FormatError,
  ManagedFieldsError,
} from "./errors.js";
export {
  type Comparison,
  changedFields,
  type FieldsV1,
  fieldsOf,
  fromFieldsV1,
  toFieldsV1,
} from "./fieldsv1.js";
export { type UpdateManagedFieldsOptions, updateManagedFields } from "./managed-fields.js";
export {
  FIELD_MANAGER_MAX_LENGTH,
  fieldManagerFor,
  fieldManagerProblems,
  prefixFromUserAgent,
} from "./manager-name.js";
export {
  decodeManagedFields,
  encodeManagedFields,
  formatTime,
  type ManagedFieldsEntry,
  type ManagerEntry,
  type Managers,
  managerIdentity,
} from "./managers.js";
export { type Path, type PathElement, pathString } from "./path.js";
export { applyMetaFromSchema, type ResolveSchema, type SchemaNode } from "./schema-meta.js";
export { FieldSet } from "./set.js";
export { type ApplyMeta, DEDUCED_META } from "./typed.js";
export { fieldPaths, UNTRACKED_FIELDS } from "./updater.js";
