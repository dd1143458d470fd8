import type { ArchiveModel, BusModel, RuleModel } from "@ebsvc/cloud-assembly";
import { AssemblyError } from "@ebsvc/cloud-assembly";
import { compilePattern } from "@ebsvc/event-patterns";
import type { BusEvent } from "../bus-event.js";

interface Matcher {
  matches(event: unknown): boolean;
}

/** An event bus with its rules and archives, each pattern compiled once. */
export class LocalBus {
  readonly name: string;
  readonly arn: string;
  private readonly rules: { rule: RuleModel; pattern: Matcher }[] = [];
  private readonly archives: { archive: ArchiveModel; pattern?: Matcher }[] = [];

  constructor(model: BusModel) {
    this.name = model.name;
    this.arn = model.arn;
  }

  addRule(rule: RuleModel): void {
    this.rules.push({ rule, pattern: compile(rule.pattern, `rule ${rule.path}`) });
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
    return this.rules
      .filter(({ rule, pattern }) => rule.enabled && pattern.matches(event))
      .map(({ rule }) => rule);
  }

  /** The archives that keep the event. */
  archivesFor(event: BusEvent): ArchiveModel[] {
    return this.archives
      .filter(({ pattern }) => !pattern || pattern.matches(event))
      .map(({ archive }) => archive);
  }

  rule(name: string): RuleModel | undefined {
    return this.rules.find(({ rule }) => rule.name === name)?.rule;
  }
}

function compile(pattern: unknown, where: string): Matcher {
  try {
    return compilePattern(pattern);
  } catch (error) {
    throw new AssemblyError(`${where}: invalid event pattern: ${(error as Error).message}`);
  }
}
