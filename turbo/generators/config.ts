import { chmodSync } from "node:fs";
import { join } from "node:path";
import {
  BUS_NAMES,
  SOURCE_BUS,
  type SuccessBusChoice,
  successBusName,
} from "@ebsvc/service-contract";
import {
  checkServiceName,
  checkSuccessBus,
  nextSteps,
  runSetupStep,
  serviceDependencyVersions,
  setupSteps,
} from "@ebsvc/service-generator";
import type { PlopTypes } from "@turbo/gen";

/**
 * `pnpm turbo gen service --args <name> [successBus]`: a new service under services/, from
 * templates/service/, installed and bundled so that it builds, tests, synthesizes and runs
 * locally right away. Without --args it asks for both.
 */

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  const root = plop.getDestBasePath();

  // `--args <name>` alone means the default bus; the bus is asked only with the name. plop
  // refuses to take an argument for a prompt whose `when` is a function, so a getter answers.
  let nameFromArgs = false;

  plop.setGenerator("service", {
    description: "A new Lambda service under services/, wired into EventBridge",
    prompts: [
      {
        type: "input",
        name: "name",
        message: "Service name (its folder, package name and event source)",
        bypass: (value: string) => {
          nameFromArgs = true;
          return value;
        },
        validate: (value: string) => checkServiceName(value, root) ?? true,
      },
      {
        type: "list",
        name: "successBus",
        message: "Where do its results go?",
        choices: [
          { name: `source: back to the bus it listens on (${SOURCE_BUS})`, value: "source" },
          ...BUS_NAMES.map((bus) => ({ name: bus, value: bus })),
        ],
        default: "source",
        get when() {
          return !nameFromArgs;
        },
        // The answer as given, so that validate can say what is allowed.
        bypass: (value: string) => value,
        validate: (value: string) => checkSuccessBus(value) ?? true,
      },
    ],
    actions: (answers) => {
      const name = String(answers?.name);
      const successBus = String(answers?.successBus ?? "source");
      const dir = `services/${name}`;
      const data = {
        successBus,
        successBusName: successBusName(successBus as SuccessBusChoice),
        versions: serviceDependencyVersions(root),
      };
      return [
        // The prompts validate as they are answered; this holds for anything else that runs
        // the generator with answers of its own.
        () => {
          const refusal = checkServiceName(name, root) ?? checkSuccessBus(successBus);
          if (refusal) throw new Error(refusal);
          return `services/${name}, results to ${data.successBusName}`;
        },
        {
          type: "addMany",
          destination: dir,
          base: "templates/service",
          // plop keeps ".hbs" on a name with no other extension: the Dockerfile is added below.
          templateFiles: ["templates/service/**/*.hbs", "!templates/service/Dockerfile.hbs"],
          globOptions: { dot: true },
          data,
          verbose: true,
          abortOnFail: true,
        },
        {
          type: "add",
          path: `${dir}/Dockerfile`,
          templateFile: "templates/service/Dockerfile.hbs",
        },
        () => {
          for (const script of ["runlocally.sh", "calllocally.sh"]) {
            chmodSync(join(root, dir, script), 0o755);
          }
          return `${dir}/runlocally.sh, calllocally.sh: executable`;
        },
        ...setupSteps(name).map((step) => () => runSetupStep(root, step)),
        () => nextSteps(name),
      ];
    },
  });
}
