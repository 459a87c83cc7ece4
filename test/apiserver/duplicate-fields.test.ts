// Duplicate JSON fields under fieldValidation, as upstream's strict decoder
// (sigs.k8s.io/json UnmarshalStrict) reports them: the scanner on its own,
// then Strict/Warn/Ignore on the wire for create, update and patch.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { duplicateFields, scanJsonFields } from "../../src/apiserver/http/duplicate-fields.js";
import {
  goFormat,
  goJson,
  patchBodyStrictErrors,
  strictErrors,
} from "../../src/apiserver/registry/field-validation.js";
import { type AdminTls, adminTls, apiCall, type Reply } from "../support/api-call.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";

describe("duplicate field scanner", () => {
  it("finds nothing in a body without duplicates", () => {
    assert.deepEqual(duplicateFields('{"a":1,"b":{"a":2,"c":[{"a":3},{"a":4}]}}'), []);
    assert.deepEqual(duplicateFields("[1,2,{}]"), []);
    assert.deepEqual(duplicateFields('"just a string"'), []);
  });

  it("reports the dotted path of a repeated key", () => {
    assert.deepEqual(
      duplicateFields('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"b"}}'),
      ["metadata.name"],
    );
    assert.deepEqual(duplicateFields('{"kind":"A","kind":"B"}'), ["kind"]);
  });

  it("reports a path once however often it repeats, in document order", () => {
    assert.deepEqual(duplicateFields('{"b":{"x":1,"x":2,"x":3},"a":1,"a":2}'), ["b.x", "a"]);
  });

  it("indexes list items as upstream does", () => {
    const body =
      '{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]},"list":[[{"k":1,"k":2}]]}';
    assert.deepEqual(duplicateFields(body), ["spec.containers[1].name", "list[0][0].k"]);
    assert.deepEqual(duplicateFields('[{"a":1},{"a":1,"a":2}]'), ["[1].a"]);
  });

  it("keeps sibling objects' key sets apart", () => {
    assert.deepEqual(duplicateFields('{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":1}]}'), []);
  });

  it("compares keys after unescaping", () => {
    assert.deepEqual(duplicateFields('{"m":{"ab":1,"a\\u0062":2}}'), ["m.ab"]);
    assert.deepEqual(duplicateFields('{"a\\"b":1,"a\\"b":2}'), ['a"b']);
    assert.deepEqual(duplicateFields('{"a\\\\":1,"a\\\\":2}'), ["a\\"]);
    assert.deepEqual(duplicateFields('{"a\\\\":1,"a":2}'), []);
  });

  it("is not fooled by braces, brackets, commas and quotes inside strings", () => {
    const body = JSON.stringify({
      data: { x: '{"x":1,"x":2}', y: "[,,]}", z: 'a\\"b' },
      "k}": 1,
      "k,": 2,
    });
    assert.deepEqual(duplicateFields(body), []);
    assert.deepEqual(duplicateFields('{"s":"}{][,\\"","s":"\\\\"}'), ["s"]);
  });

  it("tolerates whitespace and every value kind", () => {
    const body = '{ "a" : [ 1 , -2.5e3 , true , false , null , "x" ] ,\n "b" : { } , "a" : { } }';
    assert.deepEqual(duplicateFields(body), ["a"]);
  });

  it("locates asked-for paths at their first key", () => {
    const text = '{"spec":{"foo":1},"metadata":{"name":"a","name":"b"}}';
    const scan = scanJsonFields(text, new Set(["spec.foo"]));
    assert.equal(scan.located.get("spec.foo"), text.indexOf('"foo"'));
    assert.deepEqual(
      scan.duplicates.map((d) => d.path),
      ["metadata.name"],
    );
  });

  it("merges unknown and duplicate fields in document order, each once", () => {
    const text = '{"metadata":{"name":"a","name":"b"},"spec":{"foo":1,"foo":2}}';
    assert.deepEqual(strictErrors(["spec.foo"], text), [
      'duplicate field "metadata.name"',
      'unknown field "spec.foo"',
      'duplicate field "spec.foo"',
    ]);
    assert.deepEqual(strictErrors(["x", "x"], undefined), ['unknown field "x"']);
  });

  it("reports a patch body's own strict errors as upstream's patch handler", () => {
    const merge = '{"spec":{"paused":true,"paused":false},"x":{"k":1,"k":2}}';
    for (const type of ["merge", "strategic"] as const) {
      assert.deepEqual(patchBodyStrictErrors(type, merge, JSON.parse(merge)), [
        'duplicate field "spec.paused"',
        'duplicate field "x.k"',
      ]);
    }
    const json =
      '[{"op":"add","path":"/a","value":1,"foo":"bar"},{"op":"add","path":"/b","path":"/c"},{"op":"test","path":"/d","Op":1,"Op":2}]';
    assert.deepEqual(patchBodyStrictErrors("json", json, JSON.parse(json)), [
      'json patch unknown field "[0].foo"',
      'json patch duplicate field "[1].path"',
      'json patch unknown field "[2].Op"',
    ]);
    assert.deepEqual(patchBodyStrictErrors("json", "{}", {}), []);
  });

  it("prints values as Go does in a patch's Invalid value", () => {
    assert.equal(
      goFormat({ spec: { b: [1, "x", true, null], a: 1.5 } }),
      "map[spec:map[a:1.5 b:[1 x true <nil>]]]",
    );
    assert.equal(
      goJson({ b: "<&>", a: { d: 1, c: 2 } }),
      '{"a":{"c":2,"d":1},"b":"\\u003c\\u0026\\u003e"}',
    );
  });

  it("scans a 1 MiB body in a few milliseconds", () => {
    const items = [];
    for (let i = 0; items.length * 100 < 1024 * 1024; i++) {
      items.push({ name: `item-${i}`, value: "v".repeat(40), nested: { a: i, b: [i, "}{"] } });
    }
    const text = JSON.stringify({ apiVersion: "v1", kind: "List", items });
    assert.ok(text.length >= 1024 * 1024);
    duplicateFields(text);
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) assert.deepEqual(duplicateFields(text), []);
    const perScan = (performance.now() - t0) / runs;
    const t1 = performance.now();
    for (let i = 0; i < runs; i++) JSON.parse(text);
    const perParse = (performance.now() - t1) / runs;
    console.log(
      `# scanner: ${(text.length / 1048576).toFixed(2)} MiB in ${perScan.toFixed(2)} ms (JSON.parse ${perParse.toFixed(2)} ms)`,
    );
    assert.ok(perScan < 100, `scan took ${perScan} ms`);
  });
});

describe("duplicate fields on the wire", () => {
  let server: TestApiServer;
  let tls: AdminTls;

  const call = (method: string, path: string, body: string, contentType = "application/json") =>
    apiCall({ port: server.port, tls }, method, path, { rawBody: body, contentType });

  before(async () => {
    server = await startTestApiServer();
    tls = adminTls(server.adminKubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  const base = "/api/v1/namespaces/default/configmaps";
  const cm = (name: string, extra = "") =>
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}","labels":{"a":"1","a":"2"}${extra}},"data":{"k":"v"}}`;
  const warnings = (r: Reply) => {
    const h = r.headers.warning;
    // One line per warning (Node joins repeated headers with ", ").
    return (Array.isArray(h) ? h : h === undefined ? [] : [h])
      .join(", ")
      .split(/, (?=299 - ")/)
      .join("\n");
  };

  it("Strict refuses a create with 400 and upstream's strict decoding error", async () => {
    const r = await call("POST", `${base}?fieldValidation=Strict`, cm("strict-create"));
    assert.equal(r.status, 400, r.text);
    const status = r.json();
    assert.equal(status.kind, "Status");
    assert.equal(status.reason, "BadRequest");
    assert.equal(status.message, 'strict decoding error: duplicate field "metadata.labels.a"');
    const get = await call("GET", `${base}/strict-create`, "");
    assert.equal(get.status, 404, "nothing stored");
  });

  it("with no fieldValidation, upstream's default Warn applies", async () => {
    const r = await call("POST", base, cm("default-create"));
    assert.equal(r.status, 201, r.text);
    assert.match(warnings(r), /299 - "duplicate field \\"metadata.labels.a\\""/);
  });

  it("Strict reports unknown and duplicate fields together, in document order", async () => {
    const body =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"both","name":"both"},"bogus":1,"data":{}}';
    const r = await call("POST", `${base}?fieldValidation=Strict`, body);
    assert.equal(r.status, 400, r.text);
    assert.equal(
      r.json().message,
      'strict decoding error: duplicate field "metadata.name", unknown field "bogus"',
    );
  });

  it("Warn creates the object (last value wins) and returns a Warning header", async () => {
    const r = await call("POST", `${base}?fieldValidation=Warn`, cm("warn-create"));
    assert.equal(r.status, 201, r.text);
    assert.match(warnings(r), /^299 - "duplicate field \\"metadata.labels.a\\""$/m);
    assert.deepEqual((r.json().metadata as { labels: unknown }).labels, { a: "2" });
  });

  it("Ignore creates the object without a warning", async () => {
    const r = await call("POST", `${base}?fieldValidation=Ignore`, cm("ignore-create"));
    assert.equal(r.status, 201, r.text);
    assert.equal(warnings(r), "");
  });

  it("applies to update (PUT) as well", async () => {
    const path = `${base}/warn-create`;
    const strict = await call("PUT", `${path}?fieldValidation=Strict`, cm("warn-create"));
    assert.equal(strict.status, 400, strict.text);
    assert.equal(
      strict.json().message,
      'strict decoding error: duplicate field "metadata.labels.a"',
    );
    const warn = await call("PUT", `${path}?fieldValidation=Warn`, cm("warn-create"));
    assert.equal(warn.status, 200, warn.text);
    assert.match(warnings(warn), /duplicate field \\"metadata.labels.a\\"/);
    const ignore = await call("PUT", `${path}?fieldValidation=Ignore`, cm("warn-create"));
    assert.equal(ignore.status, 200, ignore.text);
    assert.equal(warnings(ignore), "");
  });

  it("a body without duplicates passes Strict untouched", async () => {
    const r = await call(
      "POST",
      `${base}?fieldValidation=Strict`,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"clean","labels":{"a":"1"}}}',
    );
    assert.equal(r.status, 201, r.text);
    assert.equal(warnings(r), "");
  });

  // Upstream (apiserver/pkg/endpoints/handlers/patch.go) decodes merge and
  // strategic merge patch bodies with kjson.UnmarshalStrict under
  // Strict|Warn, and JSON patches into []jsonPatchOp (errors prefixed
  // "json patch "); Strict refuses with a 422 on the field "patch" whose
  // value is the patched object (JSON, keys sorted) or, for a strategic
  // merge patch, the decoded patch as Go prints a map.
  const strictPatchMessage = (r: Reply) => {
    assert.equal(r.status, 422, r.text);
    const status = r.json() as {
      reason: string;
      message: string;
      details: { kind?: string; causes: { reason: string; field: string; message: string }[] };
    };
    assert.equal(status.reason, "Invalid");
    assert.equal(status.details.kind, undefined);
    assert.equal(status.details.causes.length, 1);
    assert.equal(status.details.causes[0]?.field, "patch");
    assert.equal(status.details.causes[0]?.reason, "FieldValueInvalid");
    assert.ok(status.message.startsWith(' "" is invalid: patch: Invalid value: "'), status.message);
    return status.message;
  };

  /** A fresh ConfigMap to patch, labels {a: "2"}. */
  const target = async (name: string) => {
    const r = await call("POST", `${base}?fieldValidation=Ignore`, cm(name));
    assert.equal(r.status, 201, r.text);
    return `${base}/${name}`;
  };

  it("applies to merge and strategic merge patches", async () => {
    for (const [type, name] of [
      ["application/merge-patch+json", "merge-target"],
      ["application/strategic-merge-patch+json", "smp-target"],
    ] as const) {
      const path = await target(name);
      const patch = '{"metadata":{"labels":{"b":"1","b":"2"}}}';
      const strict = await call("PATCH", `${path}?fieldValidation=Strict`, patch, type);
      const message = strictPatchMessage(strict);
      assert.ok(
        message.endsWith('": strict decoding error: duplicate field "metadata.labels.b"'),
        message,
      );
      if (name === "smp-target") {
        assert.match(message, /Invalid value: "map\[metadata:map\[labels:map\[b:2\]\]\]"/);
      } else {
        // The patched object, keys sorted as Go encodes a map.
        assert.match(message, /Invalid value: "\{\\"apiVersion\\":\\"v1\\",\\"data\\":/);
      }
      const unchanged = await call("GET", path, "");
      assert.deepEqual((unchanged.json().metadata as { labels: unknown }).labels, { a: "2" });
      const warn = await call("PATCH", `${path}?fieldValidation=Warn`, patch, type);
      assert.equal(warn.status, 200, warn.text);
      assert.equal(warnings(warn), '299 - "duplicate field \\"metadata.labels.b\\""');
      assert.deepEqual((warn.json().metadata as { labels: unknown }).labels, { a: "2", b: "2" });
      const ignore = await call("PATCH", `${path}?fieldValidation=Ignore`, patch, type);
      assert.equal(ignore.status, 200, ignore.text);
      assert.equal(warnings(ignore), "");
    }
  });

  it("puts a patch's duplicates before the patched object's unknown fields", async () => {
    const patch =
      '{"zz":1,"metadata":{"labels":{"c":"1","c":"2"}},"bogus":true,"data":{"x":"1","x":"2"}}';
    const path = await target("order-target");
    const r = await call(
      "PATCH",
      `${path}?fieldValidation=Strict`,
      patch,
      "application/merge-patch+json",
    );
    assert.ok(
      strictPatchMessage(r).endsWith(
        '": strict decoding error: duplicate field "metadata.labels.c", duplicate field "data.x", unknown field "bogus", unknown field "zz"',
      ),
      r.text,
    );
    const warn = await call(
      "PATCH",
      `${path}?fieldValidation=Warn`,
      patch,
      "application/merge-patch+json",
    );
    assert.equal(warn.status, 200, warn.text);
    assert.deepEqual(
      warnings(warn).split("\n"),
      [
        'duplicate field \\"metadata.labels.c\\"',
        'duplicate field \\"data.x\\"',
        'unknown field \\"bogus\\"',
        'unknown field \\"zz\\"',
      ].map((w) => `299 - "${w}"`),
    );
    assert.equal(warn.json().bogus, undefined, "unknown fields are not stored");
  });

  it("applies to JSON patch documents, prefixed 'json patch '", async () => {
    const patch =
      '[{"op":"add","path":"/data/j1","value":"v","foo":"bar"},{"op":"add","path":"/data/j2","path":"/data/j3","value":"v"},{"op":"add","path":"/metadata/annotations","value":{"k":"1","k":"2"}}]';
    const type = "application/json-patch+json";
    const path = await target("json-patch-target");
    const strict = await call("PATCH", `${path}?fieldValidation=Strict`, patch, type);
    assert.ok(
      strictPatchMessage(strict).endsWith(
        '": strict decoding error: json patch unknown field "[0].foo", json patch duplicate field "[1].path", json patch duplicate field "[2].value.k"',
      ),
      strict.text,
    );
    const warn = await call("PATCH", `${path}?fieldValidation=Warn`, patch, type);
    assert.equal(warn.status, 200, warn.text);
    assert.deepEqual(
      warnings(warn).split("\n"),
      [
        'json patch unknown field \\"[0].foo\\"',
        'json patch duplicate field \\"[1].path\\"',
        'json patch duplicate field \\"[2].value.k\\"',
      ].map((w) => `299 - "${w}"`),
    );
    const data = warn.json().data as Record<string, string>;
    assert.equal(data.j3, "v");
    assert.equal(data.j2, undefined, "the last path wins");
    assert.deepEqual((warn.json().metadata as { annotations: unknown }).annotations, { k: "2" });
    const both = '[{"op":"add","path":"/data/j4","value":"v","foo":"bar","foo":"baz"}]';
    const ok = await call("PATCH", `${path}?fieldValidation=Warn`, both, type);
    assert.equal(ok.status, 200, ok.text);
    // A field both unknown and repeated is only unknown (a typed decode).
    assert.equal(warnings(ok), '299 - "json patch unknown field \\"[0].foo\\""');
  });

  it("finds duplicates in bodies converted to their stored version", async () => {
    // autoscaling/v1 HPAs are stored as autoscaling/v2 (api/conversion).
    const hpas = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    const hpa = (name: string) =>
      `{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"${name}"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":3,"maxReplicas":4,"targetCPUUtilizationPercentage":50}}`;
    const strict = await call("POST", `${hpas}?fieldValidation=Strict`, hpa("hpa-dup"));
    assert.equal(strict.status, 400, strict.text);
    assert.equal(
      strict.json().message,
      'strict decoding error: duplicate field "spec.maxReplicas"',
    );
    const warn = await call("POST", `${hpas}?fieldValidation=Warn`, hpa("hpa-dup"));
    assert.equal(warn.status, 201, warn.text);
    assert.equal(warnings(warn), '299 - "duplicate field \\"spec.maxReplicas\\""');
    assert.equal((warn.json().spec as { maxReplicas: number }).maxReplicas, 4);
    const put = await call("PUT", `${hpas}/hpa-dup?fieldValidation=Strict`, hpa("hpa-dup"));
    assert.equal(put.status, 400, put.text);
    assert.equal(put.json().message, 'strict decoding error: duplicate field "spec.maxReplicas"');
    const patch = await call(
      "PATCH",
      `${hpas}/hpa-dup?fieldValidation=Warn`,
      '{"spec":{"minReplicas":1,"minReplicas":2}}',
      "application/merge-patch+json",
    );
    assert.equal(patch.status, 200, patch.text);
    assert.equal(warnings(patch), '299 - "duplicate field \\"spec.minReplicas\\""');
    assert.equal((patch.json().spec as { minReplicas: number }).minReplicas, 2);
  });

  it("patches with duplicate fields still succeed under Ignore", async () => {
    const r = await call(
      "PATCH",
      `${base}/ignore-create?fieldValidation=Ignore`,
      '{"metadata":{"labels":{"b":"1","b":"2"}}}',
      "application/merge-patch+json",
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual((r.json().metadata as { labels: unknown }).labels, { a: "2", b: "2" });
    assert.equal(warnings(r), "");
  });
});
