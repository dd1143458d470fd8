import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config-error.js";
import { discoverServices } from "../src/discover-services.js";
import { copyService, editManifest, tempRepo } from "./support/temp-repo.js";

function discover(root: string) {
  return () => discoverServices(join(root, "services"), root);
}

describe("service discovery", () => {
  it("finds the example services, sorted, with their settings", () => {
    const services = discover(tempRepo())();
    expect(
      services.map((service) => [service.id, service.settings, service.runtimeClientVersion]),
    ).toEqual([
      ["backtosource", { successBus: "source" }, "4.0.2"],
      [
        "chained",
        { successBus: "output_bus", subscriptions: [{ resultsOf: "toanother" }] },
        "4.0.2",
      ],
      [
        "toanother",
        { successBus: "output_bus", subscriptions: [{ resultsOf: "backtosource" }] },
        "4.0.2",
      ],
    ]);
  });

  it("ignores folders without a package.json or without a service object, and plain files", () => {
    const root = tempRepo();
    mkdirSync(join(root, "services", "docs"));
    mkdirSync(join(root, "services", "shared"));
    writeFileSync(
      join(root, "services", "shared", "package.json"),
      JSON.stringify({ name: "shared" }),
    );
    writeFileSync(join(root, "services", "README.md"), "# services\n");
    expect(discover(root)().map((service) => service.id)).toEqual([
      "backtosource",
      "chained",
      "toanother",
    ]);
  });

  const mistakes: Array<[string, (manifest: Record<string, unknown>) => void, RegExp]> = [
    [
      "no successBus",
      (m) => {
        m.service = {};
      },
      /services\/toanother\/package\.json: service\.successBus is missing; allowed: "source", "source_bus", "output_bus"/,
    ],
    [
      "an unknown bus",
      (m) => {
        m.service = { successBus: "elsewhere" };
      },
      /service\.successBus is "elsewhere"; allowed: "source", "source_bus", "output_bus"/,
    ],
    [
      "a service that is not an object",
      (m) => {
        m.service = "yes";
      },
      /services\/toanother\/package\.json: service is "yes"; expected: an object such as \{"successBus": "source"\}/,
    ],
    [
      "retries out of range",
      (m) => {
        m.service = { successBus: "source", retryAttempts: 3 };
      },
      /service\.retryAttempts is 3; allowed: an integer from 0 to 2 \(retries\)/,
    ],
    [
      "a fractional memory size",
      (m) => {
        m.service = { successBus: "source", memorySize: 512.5 };
      },
      /service\.memorySize is 512\.5; allowed: an integer from 128 to 10240 \(MB\)/,
    ],
    [
      "a timeout as a string",
      (m) => {
        m.service = { successBus: "source", timeoutSeconds: "30" };
      },
      /service\.timeoutSeconds is "30"; allowed: an integer from 1 to 900 \(seconds\)/,
    ],
    [
      "a max age too short",
      (m) => {
        m.service = { successBus: "source", maxEventAgeSeconds: 30 };
      },
      /service\.maxEventAgeSeconds is 30; allowed: an integer from 60 to 21600 \(seconds\)/,
    ],
    [
      "negative provisioned concurrency",
      (m) => {
        m.service = { successBus: "source", provisionedConcurrency: -1 };
      },
      /service\.provisionedConcurrency is -1; allowed: an integer from 0/,
    ],
    [
      "an unknown architecture",
      (m) => {
        m.service = { successBus: "source", architecture: "arm" };
      },
      /service\.architecture is "arm"; allowed: "x86_64", "arm64"/,
    ],
    [
      "a log retention CloudWatch does not offer",
      (m) => {
        m.service = { successBus: "source", logRetentionDays: 31 };
      },
      /service\.logRetentionDays is 31; allowed: one of 1, 3, 5, 7, 14, 30, 60, .*, 3653 \(days\)/,
    ],
    [
      "logs that never expire",
      (m) => {
        m.service = { successBus: "source", logRetentionDays: 9999 };
      },
      /service\.logRetentionDays is 9999; allowed: one of 1, 3/,
    ],
    [
      "a log retention as a string",
      (m) => {
        m.service = { successBus: "source", logRetentionDays: "30" };
      },
      /service\.logRetentionDays is "30"; allowed: one of 1, 3/,
    ],
    [
      "a success bus given as an array",
      (m) => {
        m.service = { successBus: ["output_bus"] };
      },
      /service\.successBus is \["output_bus"\]; allowed: "source", "source_bus", "output_bus"/,
    ],
    [
      "a service given as null",
      (m) => {
        m.service = null;
      },
      /services\/toanother\/package\.json: service is null; expected: an object such as \{"successBus": "source"\}/,
    ],
    [
      "a misspelt setting",
      (m) => {
        m.service = { successBus: "source", memory: 1024 };
      },
      /service\.memory: not a known field; allowed fields: successBus, memorySize, .*, architecture, logRetentionDays, subscriptions$/,
    ],
    [
      "a package not named after its folder",
      (m) => {
        m.name = "backtosource";
      },
      /services\/toanother\/package\.json: name is "backtosource"; a service's package is named after its folder \("toanother"\): run pnpm install/,
    ],
    [
      "no runtime client dependency",
      (m) => {
        m.dependencies = {};
      },
      /dependencies\.aws-lambda-ric is missing|dependencies\.aws-lambda-ric is undefined/,
    ],
    [
      "a runtime client range",
      (m) => {
        m.dependencies = { "aws-lambda-ric": "^4.0.0" };
      },
      /dependencies\.aws-lambda-ric is "\^4\.0\.0"; expected: an exact version/,
    ],
  ];
  it.each(mistakes)(
    "fails on %s, naming the folder, the field and what is allowed",
    (_what, edit, message) => {
      const root = tempRepo();
      editManifest(join(root, "services", "toanother"), edit);
      const attempt = discover(root);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    },
  );

  it("fails on a package.json that is not JSON", () => {
    const root = tempRepo();
    writeFileSync(join(root, "services", "toanother", "package.json"), "{ nope");
    expect(discover(root)).toThrow(/services\/toanother\/package\.json: not valid JSON/);
  });

  it("fails on a folder name that cannot be a service id", () => {
    const root = tempRepo();
    copyService(root, "toanother", "Big_Service");
    editManifest(join(root, "services", "Big_Service"), (m) => {
      m.name = "Big_Service";
    });
    expect(discover(root)).toThrow(
      /services\/Big_Service\/package\.json: the folder name "Big_Service" is the service id and must be 1 to 63 lowercase letters/,
    );
  });

  it("takes a log retention", () => {
    const root = tempRepo();
    editManifest(join(root, "services", "toanother"), (m) => {
      m.service = { successBus: "output_bus", logRetentionDays: 365 };
    });
    expect(discover(root)().find((service) => service.id === "toanother")?.settings).toEqual({
      successBus: "output_bus",
      logRetentionDays: 365,
    });
  });

  it("fails on two folders that are the same service id ignoring case, naming both", () => {
    const root = tempRepo();
    copyService(root, "toanother", "ToAnother");
    editManifest(join(root, "services", "ToAnother"), (m) => {
      m.name = "ToAnother";
    });
    const attempt = discover(root);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /^services\/ToAnother\/package\.json: the folder name "ToAnother" is the same service id as services\/toanother \(ids are compared ignoring case: a service id is its lowercase event source, package and image name\); keep one of these folders$/,
    );
  });

  it("reports the problems of every service at once", () => {
    const root = tempRepo();
    editManifest(join(root, "services", "backtosource"), (m) => {
      m.service = { successBus: 1 };
    });
    editManifest(join(root, "services", "toanother"), (m) => {
      m.service = { successBus: "source", retryAttempts: 5 };
    });
    expect(discover(root)).toThrow(/backtosource.*successBus[\s\S]*toanother.*retryAttempts/);
  });

  it("finds nothing to deploy in an empty services folder", () => {
    const root = tempRepo();
    rmSync(join(root, "services"), { recursive: true });
    mkdirSync(join(root, "services"));
    expect(discover(root)()).toEqual([]);
  });
});
