import type { ArchiveModel, BusModel, RuleModel } from "@ebsvc/cloud-assembly";
import { AssemblyError } from "@ebsvc/cloud-assembly";
import { compilePattern, compileRuleSet, type RuleSet } from "@ebsvc/event-patterns";
import type { BusEvent } from "../bus-event.js";

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
  private readonly archives: { archive: ArchiveModel; pattern?: Matcher; events: BusEvent[] }[] =
    [];

  constructor(model: BusModel) {
    this.name = model.name;
    this.arn = model.arn;
  }

  addRule(rule: RuleModel): void {
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
      events: [],
    });
  }

  /** Keeps the event in every archive it matches; returns the enabled rules it matches. */
  route(event: BusEvent): RuleModel[] {
    for (const archive of this.archives) {
      if (!archive.pattern || archive.pattern.matches(event)) archive.events.push(event);
    }
    this.ruleSet ??= compileRuleSet(
      this.rules.map((rule) => ({ name: rule, pattern: rule.pattern })),
    );
    return this.ruleSet.matching(event).filter((rule) => rule.enabled);
  }

  /** What an archive of this bus holds, by archive name. */
  archived(name: string): readonly BusEvent[] | undefined {
    return this.archives.find(({ archive }) => archive.name === name)?.events;
  }
}

function compile(pattern: unknown, where: string): Matcher {
  try {
    return compilePattern(pattern);
  } catch (error) {
    throw new AssemblyError(`${where}: invalid event pattern: ${(error as Error).message}`);
  }
}
