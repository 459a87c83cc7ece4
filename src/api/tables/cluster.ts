/**
 * Cluster-level API machinery: certificate signing requests, admission
 * webhooks and policies, API priority and fairness, runtime classes,
 * aggregated API services and component statuses.
 */
import type {
  MutatingWebhookConfiguration,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from "kubernetes-types/admissionregistration/v1.js";
import type { CertificateSigningRequest } from "kubernetes-types/certificates/v1.js";
import type { ComponentStatus } from "kubernetes-types/core/v1.js";
import type { FlowSchema, PriorityLevelConfiguration } from "kubernetes-types/flowcontrol/v1.js";
import type { RuntimeClass } from "kubernetes-types/node/v1.js";
import type { KubeObject } from "../strategy.js";
import { humanDuration, since } from "./duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, nameOf, selectorString, view } from "./format.js";
import type { TablePrinter } from "./types.js";

function age(obj: KubeObject, now: Date): string {
  return since(obj.metadata?.creationTimestamp, now);
}

/** Denied/Approved/Pending, then ",Failed" and ",Issued" when they apply. */
function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
  if (types.has("Failed")) status += ",Failed";
  if (csr.status?.certificate) status += ",Issued";
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column("SignerName", { description: "Signer asked to sign the certificate." }),
    column("Requestor", { description: "User who created the request." }),
    column("RequestedDuration", { description: "Validity period asked for." }),
    column("Condition", { description: "Approval state of the request." }),
  ],
  row(obj, now) {
    const csr = view<CertificateSigningRequest>(obj);
    const seconds = csr.spec?.expirationSeconds;
    return [
      nameOf(obj),
      age(obj, now),
      csr.spec?.signerName ? csr.spec.signerName : "<none>",
      csr.spec?.username ?? "",
      seconds === undefined || seconds === null ? "<none>" : humanDuration(seconds * 1000),
      csrCondition(csr),
    ];
  },
};

function webhookPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Webhooks", { type: "integer", description: "Webhooks in the configuration." }),
      AGE_COLUMN,
    ],
    row(obj, now) {
      return [
        nameOf(obj),
        view<MutatingWebhookConfiguration>(obj).webhooks?.length ?? 0,
        age(obj, now),
      ];
    },
  };
}

export const mutatingWebhookConfigurationPrinter = webhookPrinter();
export const validatingWebhookConfigurationPrinter = webhookPrinter();

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Validations", { type: "integer", description: "Validation rules in the policy." }),
    column("ParamKind", { description: "Kind of the resource that parameterizes the policy." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const spec = view<ValidatingAdmissionPolicy>(obj).spec;
    const kind = spec?.paramKind;
    return [
      nameOf(obj),
      spec?.validations?.length ?? 0,
      kind ? `${kind.apiVersion ?? ""}/${kind.kind ?? ""}` : "<unset>",
      age(obj, now),
    ];
  },
};

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("PolicyName", { description: "The policy this binding applies." }),
    column("ParamRef", { description: "The resource holding the policy's parameters." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const spec = view<ValidatingAdmissionPolicyBinding>(obj).spec;
    const ref = spec?.paramRef;
    let param = "<unset>";
    if (ref?.name) param = ref.namespace ? `${ref.namespace}/${ref.name}` : `*/${ref.name}`;
    else if (ref?.selector) param = selectorString(ref.selector) ?? "<invalid>";
    return [nameOf(obj), spec?.policyName ?? "", param, age(obj, now)];
  },
};

export const flowSchemaPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("PriorityLevel", { description: "Priority level matching requests are assigned." }),
    column("MatchingPrecedence", { description: "Lower values are matched first." }),
    column("DistinguisherMethod", { description: "How requests are split into flows." }),
    AGE_COLUMN,
    column("MissingPL", { description: "Whether the priority level it names is missing." }),
  ],
  row(obj, now) {
    const fs = view<FlowSchema>(obj);
    const dangling = fs.status?.conditions?.find((c) => c.type === "Dangling");
    return [
      nameOf(obj),
      fs.spec?.priorityLevelConfiguration?.name ?? "",
      fs.spec?.matchingPrecedence ?? 0,
      fs.spec?.distinguisherMethod?.type ?? "<none>",
      age(obj, now),
      dangling ? (dangling.status ?? "") : "?",
    ];
  },
};

export const priorityLevelConfigurationPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", { description: "Exempt or Limited." }),
    column("NominalConcurrencyShares", { description: "Share of the server's concurrency." }),
    column("Queues", { description: "Number of queues." }),
    column("HandSize", { description: "Queues each flow is shuffle-sharded over." }),
    column("QueueLengthLimit", { description: "Requests each queue may hold." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const spec = view<PriorityLevelConfiguration>(obj).spec;
    const limited = spec?.limited;
    const queuing = limited?.limitResponse?.queuing;
    const none = "<none>";
    return [
      nameOf(obj),
      spec?.type ?? "",
      limited ? (limited.nominalConcurrencyShares ?? 0) : none,
      queuing ? (queuing.queues ?? 0) : none,
      queuing ? (queuing.handSize ?? 0) : none,
      queuing ? (queuing.queueLengthLimit ?? 0) : none,
      age(obj, now),
    ];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Handler", { description: "Runtime handler that runs pods of this class." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    return [nameOf(obj), view<RuntimeClass>(obj).handler ?? "", age(obj, now)];
  },
};

interface APIServiceView {
  spec?: { service?: { namespace?: string; name?: string } | null };
  status?: { conditions?: Array<{ type?: string; status?: string; reason?: string }> };
}

export const apiServicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Service", { description: "Service that serves the API, or Local." }),
    column("Available", { description: "Whether the API is reachable, with the reason if not." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const svc = view<APIServiceView>(obj);
    const ref = svc.spec?.service;
    const cond = svc.status?.conditions?.find((c) => c.type === "Available");
    let available = "Unknown";
    if (cond) {
      available =
        cond.status !== "True" && cond.reason
          ? `${cond.status ?? ""} (${cond.reason})`
          : (cond.status ?? "");
    }
    return [
      nameOf(obj),
      ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "Local",
      available,
      age(obj, now),
    ];
  },
};

export const componentStatusPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", { description: "Healthy, Unhealthy or Unknown." }),
    column("Message", { description: "Message of the health condition." }),
    column("Error", { description: "Error of the health condition." }),
  ],
  row(obj) {
    const healthy = view<ComponentStatus>(obj).conditions?.find((c) => c.type === "Healthy");
    let status = "Unknown";
    if (healthy) status = healthy.status === "True" ? "Healthy" : "Unhealthy";
    return [nameOf(obj), status, healthy?.message ?? "", healthy?.error ?? ""];
  },
};
