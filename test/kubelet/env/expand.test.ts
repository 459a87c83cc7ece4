import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  EnvError,
  expand,
  expandCommand,
  expandSubPathExpr,
  mappingFor,
} from "../../../src/kubelet/env/index.js";

const vars = new Map([
  ["VAR_A", "A"],
  ["VAR_B", "B"],
  ["VAR_C", "C"],
  ["VAR_REF", "$(VAR_A)"],
  ["VAR_EMPTY", ""],
]);

describe("expand", () => {
  const cases: [string, string, string][] = [
    ["whole string", "$(VAR_A)", "A"],
    ["repeat", "$(VAR_A)-$(VAR_A)", "A-A"],
    ["beginning", "$(VAR_A)-1", "A-1"],
    ["middle", "___$(VAR_B)___", "___B___"],
    ["end", "___$(VAR_C)", "___C"],
    ["compound", "$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C"],
    ["escape & expand", "$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"],
    ["compound escape", "$$(VAR_A)_$$(VAR_B)", "$(VAR_A)_$(VAR_B)"],
    ["mixed in escapes", "f000-$$VAR_A", "f000-$VAR_A"],
    ["backslash escape ignored", "foo\\$(VAR_C)bar", "foo\\Cbar"],
    ["nested var references", "$(VAR_A$(VAR_B))", "$(VAR_A$(VAR_B))"],
    ["nested var references second type", "$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)"],
    ["value is a reference, not expanded again", "$(VAR_REF)", "$(VAR_A)"],
    ["empty var", "foo$(VAR_EMPTY)bar", "foobar"],
    ["unterminated expression", "foo$(VAR_Awhoops!", "foo$(VAR_Awhoops!"],
    ["expression without operator", "f00__(VAR_A)__", "f00__(VAR_A)__"],
    ["shell special vars pass through", "$?_boo_$!", "$?_boo_$!"],
    ["bare operators are ignored", "$VAR_A", "$VAR_A"],
    ["undefined vars are passed through", "$(VAR_DNE)", "$(VAR_DNE)"],
    ["multiple (even) operators, var undefined", "$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)"],
    ["multiple (even) operators, var defined", "$$$$$$(VAR_A)", "$$$(VAR_A)"],
    ["multiple (odd) operators, var undefined", "$$$$$$$(GOOD_ODDS)", "$$$$(GOOD_ODDS)"],
    ["multiple (odd) operators, var defined", "$$$$$$$(VAR_A)", "$$$A"],
    ["missing open expression", "$VAR_A)", "$VAR_A)"],
    ["shell syntax ignored", "$" + "{VAR_A}", "$" + "{VAR_A}"],
    ["trailing incomplete expression not consumed", "$(VAR_B)_______$(A", "B_______$(A"],
    ["trailing incomplete expression, no content", "$(VAR_C)_______$(", "C_______$("],
    ["operator at end of input string is preserved", "$(VAR_A)foobarzab$", "Afoobarzab$"],
    ["shell escaped incomplete expr", "foo-\\$(VAR_A", "foo-\\$(VAR_A"],
    ["lots of $( in middle", "--$($($($($--", "--$($($($($--"],
    ["lots of $( at end", "foo0--$($($($(", "foo0--$($($($("],
    ["escaped operators in variable names are not escaped", "$(foo$$var)", "$(foo$$var)"],
    ["newline not expanded", "\n", "\n"],
    ["a non-BMP character after $ passes through", "$😀$(VAR_A)", "$😀A"],
    ["empty input", "", ""],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => assert.equal(expand(input, mappingFor(vars)), want));
  }

  it("looks contexts up in order", () => {
    const mapping = mappingFor(
      new Map([["X", "first"]]),
      new Map([
        ["X", "second"],
        ["Y", "y"],
      ]),
    );
    assert.equal(expand("$(X)-$(Y)", mapping), "first-y");
  });
});

describe("expandCommand", () => {
  const env = [
    { key: "NAME", value: "world" },
    { key: "NAME", value: "later" },
    { key: "EMPTY", value: "" },
  ];
  const cases: [string, string[] | undefined, string[]][] = [
    ["undefined is empty", undefined, []],
    [
      "expands each argument, the later duplicate wins",
      ["echo", "hi $(NAME)"],
      ["echo", "hi later"],
    ],
    [
      "keeps unknown references and escapes",
      ["$(NOPE)", "$$(NAME)", "x$(EMPTY)y"],
      ["$(NOPE)", "$(NAME)", "xy"],
    ],
  ];
  for (const [name, args, want] of cases) {
    it(name, () => assert.deepEqual(expandCommand(args, env), want));
  }
});

describe("expandSubPathExpr", () => {
  const env = [
    { key: "POD_NAME", value: "web-0" },
    { key: "EMPTY", value: "" },
  ];
  it("expands known variables", () => {
    assert.equal(expandSubPathExpr("logs/$(POD_NAME)", env), "logs/web-0");
  });
  it("names missing and empty variables, sorted", () => {
    assert.throws(
      () => expandSubPathExpr("$(ZED)/$(EMPTY)/$(POD_NAME)", env),
      (err: unknown) =>
        err instanceof EnvError &&
        err.message === "missing value for EMPTY, ZED" &&
        err.reason === "CreateContainerConfigError",
    );
  });
});
