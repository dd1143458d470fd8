import { spawnSync } from "node:child_process";

/** A command the generator runs at the repository root once the service's files are written. */
export interface SetupStep {
  readonly command: string;
  readonly args: readonly string[];
  /** What the step is for, for the output. */
  readonly purpose: string;
}

/**
 * What makes a freshly written service usable with no other step: `pnpm build`, `pnpm test`,
 * `pnpm synth`, `pnpm --filter <name> test` and `run local` then work as for any service.
 */
export function setupSteps(name: string): SetupStep[] {
  return [
    {
      command: "pnpm",
      // Adding a package changes the lockfile, which CI=true would otherwise keep frozen.
      args: ["install", "--no-frozen-lockfile", "--prefer-offline"],
      purpose:
        "linked the package into the workspace, installed its dependencies (aws-lambda-ric included) and recorded it in pnpm-lock.yaml",
    },
    {
      command: "pnpm",
      args: ["--filter", name, "run", "bundle"],
      purpose: `bundled services/${name}/dist/index.mjs, which its local test and \`run local\` serve`,
    },
  ];
}

/**
 * Runs a step at `root` with its output captured, and returns a one-line summary. Throws an
 * error with the end of the output, and what to run by hand, when the step fails.
 */
export function runSetupStep(root: string, step: SetupStep): string {
  const commandLine = [step.command, ...step.args].join(" ");
  // turbo gen runs this inside `pnpm dlx @turbo/gen`: leave its module path and Turborepo's
  // variables out of the commands, as if the user had typed them.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== "NODE_PATH" && !key.startsWith("TURBO_")),
  );
  const started = Date.now();
  const result = spawnSync(step.command, step.args, {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-20);
    const why = result.error ? result.error.message : `exit status ${result.status}`;
    throw new Error(
      `${commandLine} failed (${why}); the files are written: fix the cause, then run it by hand.\n${output.join("\n")}`,
    );
  }
  return `${commandLine}: ${step.purpose} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
}

/** What to do once the service exists. */
export function nextSteps(name: string): string {
  const steps: Array<[string, string]> = [
    [`services/${name}/src/index.ts`, "put the logic in the handler (and test/handler.test.ts)"],
    [`pnpm --filter ${name} test`, "its tests"],
    [
      `pnpm --filter ${name} run local`,
      `serve it on port 9000, then: pnpm --filter ${name} run call`,
    ],
    ["pnpm synth", "the stack, with its function, rule, DLQ and destinations"],
  ];
  const width = Math.max(...steps.map(([command]) => command.length)) + 3;
  return [
    `services/${name} is ready. Next:`,
    ...steps.map(([command, what]) => `  ${command.padEnd(width)}${what}`),
  ].join("\n");
}
