import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config-error.js";
import { loadSecrets } from "../src/secrets.js";
import { tempDir, writeSecrets } from "./support/temp-repo.js";

function load(secrets: unknown) {
  const root = tempDir("secrets-");
  writeSecrets(root, secrets);
  return () => loadSecrets(join(root, "secrets.json"));
}

describe("secrets.json", () => {
  it("is optional: no file means an environment-agnostic stack", () => {
    expect(loadSecrets(join(tempDir("secrets-"), "secrets.json"))).toBeUndefined();
  });

  it("gives the account, the region and existing buses", () => {
    expect(
      load({
        account: "123456789012",
        region: "ap-southeast-2",
        existingBuses: { output_bus: "results" },
      })(),
    ).toEqual({
      account: "123456789012",
      region: "ap-southeast-2",
      existingBuses: { output_bus: "results" },
    });
  });

  const mistakes: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{account: 1", /secrets\.json: not valid JSON \(.*\); create it from the example/],
    [
      "not an object",
      "[1]",
      /secrets\.json: the file is \[1\]; expected: an object such as \{"account"/,
    ],
    [
      "a short account",
      { account: "1234", region: "eu-west-1" },
      /secrets\.json: account is "1234"; expected: the 12-digit AWS account id/,
    ],
    [
      "a numeric account",
      { account: 123456789012, region: "eu-west-1" },
      /account is 123456789012; expected: the 12-digit AWS account id, as a string/,
    ],
    [
      "no account",
      { region: "eu-west-1" },
      /secrets\.json: account is missing; expected: the 12-digit/,
    ],
    [
      "a made-up region",
      { account: "123456789012", region: "europe" },
      /region is "europe"; expected: an AWS region name such as "eu-west-1"/,
    ],
    ["no region", { account: "123456789012" }, /region is missing/],
    [
      "an unknown field",
      { account: "123456789012", region: "eu-west-1", acount: "x" },
      /secrets\.json: acount: not a known field; allowed fields: account, region, existingBuses/,
    ],
    [
      "an unknown bus",
      { account: "123456789012", region: "eu-west-1", existingBuses: { other_bus: "x" } },
      /existingBuses\.other_bus/,
    ],
    [
      "a bad bus name",
      { account: "123456789012", region: "eu-west-1", existingBuses: { source_bus: "my bus" } },
      /existingBuses\.source_bus is "my bus"; expected: the name of an existing EventBridge bus/,
    ],
  ];
  it.each(mistakes)(
    "rejects %s with a message naming the file, the field and what is expected",
    (_what, secrets, message) => {
      const attempt = load(secrets);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    },
  );

  it("reports every problem at once", () => {
    expect(load({ account: "1", region: "x" })).toThrow(/account is "1".*\n.*region is "x"/);
  });
});
