import type { ArchiveModel, BusModel, RuleModel } from "@ebsvc/cloud-assembly";
import { AssemblyError } from "@ebsvc/cloud-assembly";
import { compilePattern, compileRuleSet, type RuleSet } from "@ebsvc/event-patterns";
import type { BusEvent } from "../bus-event.js";
import { checkTargetInput } from "./input-transformer.js";

interface Matcher {
  matches(event: unknown): boolean;
}

/**
 * An event bus with its rules and archives. The rules' patterns are compiled together into one
 * rule set (routing does not slow down linearly with the number of rules), rebuilt on the first
 * event after rules were added.
 */
export class LocalBus {
  readonly name: string;
  readonly arn: string;
  private readonly rules: RuleModel[] = [];
  private ruleSet: RuleSet<RuleModel> | undefined;
  private readonly archives: { archive: ArchiveModel; pattern?: Matcher }[] = [];

  constructor(model: BusModel) {
    this.name = model.name;
    this.arn = model.arn;
  }

  addRule(rule: RuleModel): void {
    for (const target of rule.targets) checkTargetInput(rule, target);
    // A rule with only a schedule matches no event: the scheduler drives it.
    if (rule.pattern === undefined) return;
    compile(rule.pattern, `rule ${rule.path}`); // refuse an invalid pattern here, naming the rule
    this.rules.push(rule);
    this.ruleSet = undefined;
  }

  addArchive(archive: ArchiveModel): void {
    this.archives.push({
      archive,
      pattern:
        archive.pattern === undefined
          ? undefined
          : compile(archive.pattern, `archive ${archive.name}`),
    });
  }

  /** The enabled rules the event matches. */
  route(event: BusEvent): RuleModel[] {
    // All the bus's rules in one matcher that shares work across them, as event-ruler does.
    this.ruleSet ??= compileRuleSet(
      this.rules.map((rule) => ({ name: rule, pattern: rule.pattern })),
    );
    return this.ruleSet.matching(event).filter((rule) => rule.enabled);
  }

  /** The archives that keep the event. */
  archivesFor(event: BusEvent): ArchiveModel[] {
    return this.archives
      .filter(({ pattern }) => !pattern || pattern.matches(event))
      .map(({ archive }) => archive);
  }

  rule(name: string): RuleModel | undefined {
    return this.rules.find((rule) => rule.name === name);
  }
}

function compile(pattern: unknown, where: string): Matcher {
  try {
    return compilePattern(pattern);
  } catch (error) {
    throw new AssemblyError(`${where}: invalid event pattern: ${(error as Error).message}`);
  }
}
