import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IngressClass } from "kubernetes-types/networking/v1.js";
import { ingressClassObject, servesIngress } from "../../src/ingress/class.js";
import { ingress } from "./fixtures.js";

const plain = ingressClassObject("k8ts", { isDefault: false });
const asDefault = ingressClassObject("k8ts", { isDefault: true });

function serves(ing: ReturnType<typeof ingress>, ourClass: IngressClass | undefined) {
  return servesIngress(ing, { className: "k8ts", ourClass });
}

describe("ingress class selection", () => {
  const cases: Array<[string, ReturnType<typeof ingress>, IngressClass | undefined, boolean]> = [
    ["our class by name", ingress("a", { className: "k8ts" }), plain, true],
    [
      "our class by name, even before the class exists",
      ingress("a", { className: "k8ts" }),
      undefined,
      true,
    ],
    ["another class", ingress("a", { className: "nginx" }), asDefault, false],
    ["no class while ours is not default", ingress("a", {}), plain, false],
    ["no class while ours is default", ingress("a", {}), asDefault, true],
    ["no class and no IngressClass", ingress("a", {}), undefined, false],
    [
      "the legacy annotation naming us",
      ingress("a", { annotations: { "kubernetes.io/ingress.class": "k8ts" } }),
      plain,
      true,
    ],
    [
      "the legacy annotation winning over the field",
      ingress("a", { className: "k8ts", annotations: { "kubernetes.io/ingress.class": "nginx" } }),
      asDefault,
      false,
    ],
  ];
  for (const [what, ing, cls, want] of cases) {
    it(`${want ? "serves" : "ignores"} ${what}`, () => assert.equal(serves(ing, cls), want));
  }

  it("creates its class for its controller, default only when asked", () => {
    assert.equal(plain.spec?.controller, "k8ts.io/ingress-controller");
    assert.equal(plain.metadata?.annotations, undefined);
    assert.deepEqual(asDefault.metadata?.annotations, {
      "ingressclass.kubernetes.io/is-default-class": "true",
    });
  });
});
