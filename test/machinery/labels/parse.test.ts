import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LabelSelectorError, parseSelector } from "../../../src/machinery/labels/index.js";

describe("label selector strings", () => {
  const roundTrips: [string, string][] = [
    ["x=a,y=b,z=c", "x=a,y=b,z=c"],
    ["", ""],
    ["x!=a,y=b", "x!=a,y=b"],
    ["x=", "x="],
    ["x= ", "x="],
    ["x=,z= ", "x=,z="],
    ["!x", "!x"],
    ["x>1", "x>1"],
    ["x>1,z<5", "x>1,z<5"],
    ["x==a", "x==a"],
    ["z=a,a=x", "a=x,z=a"],
    ["x in (b,a,a)", "x in (a,b)"],
    ["x notin ( c , b )", "x notin (b,c)"],
    ["x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"],
    ["x in (,)", "x in ()"],
    ["x in (in)", "x in (in)"],
    ["notin=in", "notin=in"],
    ["  a  ,\tb=c\n", "a,b=c"],
    ["example.com/app=web", "example.com/app=web"],
  ];
  for (const [input, canonical] of roundTrips) {
    it(`parses ${JSON.stringify(input)} and prints ${JSON.stringify(canonical)}`, () => {
      assert.equal(parseSelector(input).toString(), canonical);
    });
  }

  const matches: [string, Record<string, string>, boolean][] = [
    ["", { x: "y" }, true],
    ["x=y", { x: "y" }, true],
    ["x=y,z=w", { x: "y", z: "w" }, true],
    ["x!=y,z!=w", { x: "z", z: "a" }, true],
    ["x!=y", {}, true],
    ["x", { x: "z" }, true],
    ["!x", { y: "z" }, true],
    ["x>1", { x: "2" }, true],
    ["x<1", { x: "0" }, true],
    ["x in (a,b)", { x: "b" }, true],
    ["x notin (a)", {}, true],
    ["x=", { x: "" }, true],
    ["x=y", { x: "z" }, false],
    ["x=y", {}, false],
    ["x!=y", { x: "y" }, false],
    ["x", { y: "z" }, false],
    ["!x", { x: "" }, false],
    ["x>1", { x: "0" }, false],
    ["x>1", { x: "abc" }, false],
    ["x<1", {}, false],
    ["x in (a,b)", { x: "c" }, false],
  ];
  for (const [selector, labels, want] of matches) {
    it(`${want ? "matches" : "does not match"} ${JSON.stringify(labels)} with ${JSON.stringify(selector)}`, () => {
      assert.equal(parseSelector(selector).matches(labels), want);
    });
  }

  const bad: [string, string][] = [
    [
      "x=a||y=b",
      `unable to parse requirement: values[0][x]: Invalid value: "a||y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    ["x==a==b", "found '==', expected: ',' or 'end of string'"],
    ["!x=a", "found '=', expected: ',' or 'end of string'"],
    [
      "x<a",
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ["x,", "found '', expected: identifier after ','"],
    [",x", "found ',', expected: !, identifier, or 'end of string'"],
    ["x in a", "unable to parse requirement: found 'a' expected: '('"],
    ["x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ["x (a)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ["x=(a)", "unable to parse requirement: found '(', expected: identifier"],
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    [
      "x/y/z=a",
      `unable to parse requirement: <nil>: Invalid value: "x/y/z": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ["x=a b", "found 'b', expected: ',' or 'end of string'"],
    [
      "x=-a",
      `unable to parse requirement: values[0][x]: Invalid value: "-a": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)} with upstream's message`, () => {
      assert.throws(
        () => parseSelector(input),
        (err: unknown) => err instanceof LabelSelectorError && err.message === message,
      );
    });
  }
});
