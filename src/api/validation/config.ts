/** ConfigMap and Secret: key format, total size, immutability, typed secrets. */
import {
  type FieldError,
  forbidden,
  invalid,
  path,
  required,
  tooLong,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { validateImmutable } from "./metadata.js";
import { byteLength, isConfigMapKey } from "./names.js";
import { isObj, type Obj, semanticEqual, str } from "./shape.js";

export const MAX_SECRET_SIZE = 1024 * 1024;

const data = (o: KubeObject, key: string): Obj => (isObj(o[key]) ? (o[key] as Obj) : {});

function decodedLength(v: unknown): number {
  return typeof v === "string" ? Buffer.from(v, "base64").length : 0;
}

export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const binary = data(cm, "binaryData");
  for (const [k, v] of Object.entries(data(cm, "data"))) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(path("data").key(k), k, m));
    if (Object.hasOwn(binary, k))
      errs.push(invalid(path("data").key(k), k, "duplicate of key present in binaryData"));
    total += byteLength(str(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(path("binaryData").key(k), k, m));
    total += decodedLength(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong("", "", MAX_SECRET_SIZE));
  return errs;
}

function immutableChecks(o: KubeObject, old: KubeObject, keys: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable !== true) return errs;
  if (o.immutable !== true)
    errs.push(forbidden(path("immutable"), "field is immutable when `immutable` is set"));
  for (const k of keys) {
    if (!semanticEqual(o[k], old[k]))
      errs.push(forbidden(path(k), "field is immutable when `immutable` is set"));
  }
  return errs;
}

export function validateConfigMapUpdate(cm: KubeObject, old: KubeObject): FieldError[] {
  return immutableChecks(cm, old, ["data", "binaryData"]);
}

export function validateSecret(secret: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const d = data(secret, "data");
  const dp = path("data");
  let total = 0;
  for (const [k, v] of Object.entries(d)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(dp.key(k), k, m));
    total += decodedLength(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(dp, "", MAX_SECRET_SIZE));
  const has = (k: string): boolean => Object.hasOwn(d, k);
  const jsonKey = (k: string): void => {
    if (!has(k)) {
      errs.push(required(dp.key(k)));
      return;
    }
    try {
      JSON.parse(Buffer.from(str(d[k]), "base64").toString("utf8"));
    } catch (e) {
      errs.push(
        invalid(
          dp.key(k),
          "<secret contents redacted>",
          e instanceof Error ? e.message : String(e),
        ),
      );
    }
  };
  switch (str(secret.type)) {
    case "kubernetes.io/service-account-token": {
      const ann = isObj(secret.metadata?.annotations) ? secret.metadata.annotations : {};
      if (str(ann["kubernetes.io/service-account.name"]).length === 0) {
        errs.push(
          required(path("metadata", "annotations").key("kubernetes.io/service-account.name")),
        );
      }
      break;
    }
    case "kubernetes.io/dockercfg":
      jsonKey(".dockercfg");
      break;
    case "kubernetes.io/dockerconfigjson":
      jsonKey(".dockerconfigjson");
      break;
    case "kubernetes.io/basic-auth":
      if (!has("username") && !has("password")) {
        errs.push(required(dp.key("username")), required(dp.key("password")));
      }
      break;
    case "kubernetes.io/ssh-auth":
      if (decodedLength(d["ssh-privatekey"]) === 0) errs.push(required(dp.key("ssh-privatekey")));
      break;
    case "kubernetes.io/tls":
      if (!has("tls.crt")) errs.push(required(dp.key("tls.crt")));
      if (!has("tls.key")) errs.push(required(dp.key("tls.key")));
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...validateImmutable(secret.type, old.type, path("type")),
    ...immutableChecks(secret, old, ["data"]),
  ];
}
