export { InvalidRequirementError, LabelSelectorError, type SelectorFieldError } from "./errors.js";
export { labelSelectorAsMap, labelSelectorAsSelector } from "./label-selector.js";
export {
  compileNodeSelector,
  compilePreferredSchedulingTerms,
  type LazyMatch,
  LazyNodeSelector,
  type NodeLike,
  NodeSelectorError,
  nodeSelectorRequirementsMatch,
  requiredNodeAffinity,
} from "./node-selector.js";
export { parseSelector, parseToRequirements } from "./parse.js";
export {
  type Labels,
  type NewRequirementOptions,
  newRequirement,
  type Operator,
  type Requirement,
  requirementMatches,
  requirementString,
} from "./requirement.js";
export {
  everything,
  formatLabels,
  nothing,
  type Selector,
  selectorFromRequirements,
  selectorFromSet,
} from "./selector.js";
export { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "./validation.js";
