import { arns, type Place } from "./arns.js";
import { AssemblyError } from "./assembly-error.js";
import { type ResourceIdentity, resourceIdentity } from "./resource-identity.js";
import type { CfnResource, CfnTemplate } from "./template.js";

/** Finds the value of an export (`Fn::ImportValue`) across every stack of the assembly. */
export type ExportLookup = (name: string) => unknown;

/**
 * One deployed stack, locally: resolves CloudFormation intrinsics in its template the way
 * CloudFormation would at deploy time, with generated physical names for unnamed resources.
 */
export class StackScope {
  private readonly identities = new Map<string, ResourceIdentity>();
  private readonly resolving = new Set<string>();
  private readonly conditions = new Map<string, boolean>();

  constructor(
    readonly name: string,
    readonly template: CfnTemplate,
    readonly place: Place,
    /** Template file, for messages. */
    readonly file: string,
    private readonly parameters: Record<string, unknown>,
    private readonly importValue: ExportLookup,
  ) {}

  get resources(): [string, CfnResource][] {
    return Object.entries(this.template.Resources ?? {}).filter(
      ([, resource]) => resource.Condition === undefined || this.condition(resource.Condition),
    );
  }

  /** A property of a resource, with every intrinsic resolved. */
  property(logicalId: string, name: string): unknown {
    const resource = this.resource(logicalId);
    return this.resolve(resource.Properties?.[name], `${logicalId}.${name}`);
  }

  /** The value of an output of this stack. */
  output(name: string): unknown {
    const output = this.template.Outputs?.[name];
    if (!output) throw new AssemblyError(`${this.file}: no output ${name}`);
    return this.resolve(output.Value, `Outputs.${name}`);
  }

  /** Every export of this stack, by its resolved name. */
  exports(): Map<string, () => unknown> {
    const found = new Map<string, () => unknown>();
    for (const [key, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Export === undefined) continue;
      found.set(String(this.resolve(output.Export.Name, `Outputs.${key}.Export`)), () =>
        this.output(key),
      );
    }
    return found;
  }

  identity(logicalId: string): ResourceIdentity {
    const known = this.identities.get(logicalId);
    if (known) return known;
    if (this.resolving.has(logicalId)) {
      throw new AssemblyError(`${this.file}: ${logicalId} refers to itself through its name`);
    }
    this.resolving.add(logicalId);
    const resource = this.resource(logicalId);
    const identity =
      resource.Type === "AWS::CloudFormation::Stack"
        ? { ref: arns.stack(this.place, `${this.name}-${logicalId}`), attributes: {} }
        : resourceIdentity({
            place: this.place,
            stackName: this.name,
            logicalId,
            resource,
            property: (name) => this.property(logicalId, name),
            versionNumber: () => this.versionNumber(logicalId),
          });
    this.resolving.delete(logicalId);
    this.identities.set(logicalId, identity);
    return identity;
  }

  /** Nested stack outputs are reached through `Fn::GetAtt [stack, Outputs.X]`. */
  nestedOutput: (logicalId: string, output: string) => unknown = (logicalId) => {
    throw new AssemblyError(`${this.file}: ${logicalId} is not a nested stack of this assembly`);
  };

  resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, where));
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === "Ref" || key.startsWith("Fn::"))) {
      return this.intrinsic(key, argument, where);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v, where)]));
  }

  private intrinsic(name: string, argument: unknown, where: string): unknown {
    const fail = (why: string): never => {
      throw new AssemblyError(`${this.file}: ${where}: ${name} ${why}`);
    };
    const list = (length?: number): unknown[] => {
      if (!Array.isArray(argument) || (length !== undefined && argument.length !== length)) {
        fail(`expects a list${length === undefined ? "" : ` of ${length}`}`);
      }
      return argument as unknown[];
    };
    switch (name) {
      case "Ref":
        return this.ref(String(argument), where);
      case "Fn::GetAtt": {
        const [logicalId, attribute] =
          typeof argument === "string" ? argument.split(/\.(.*)/s) : list(2).map(String);
        return this.getAtt(String(logicalId), String(attribute), where);
      }
      case "Fn::Join": {
        const [separator, items] = list(2);
        const resolved = this.resolve(items, where);
        if (!Array.isArray(resolved)) fail("expects a list of values");
        return (resolved as unknown[]).map(String).join(String(separator));
      }
      case "Fn::Select": {
        const [index, items] = list(2);
        const resolved = this.resolve(items, where) as unknown[];
        const at = Number(this.resolve(index, where));
        if (!Array.isArray(resolved) || !(at in resolved)) fail(`index ${at} is out of range`);
        return resolved[at];
      }
      case "Fn::Split": {
        const [separator, source] = list(2);
        return String(this.resolve(source, where)).split(String(separator));
      }
      case "Fn::Sub":
        return this.sub(argument, where);
      case "Fn::ImportValue":
        return this.importValue(String(this.resolve(argument, where)));
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = list(3);
        return this.resolve(this.condition(String(condition)) ? whenTrue : whenFalse, where);
      }
      case "Fn::Equals":
      case "Fn::And":
      case "Fn::Or":
      case "Fn::Not":
        return this.evaluateCondition({ [name]: argument }, where);
      case "Fn::FindInMap": {
        const [map, top, second] = list(3).map((item) => String(this.resolve(item, where)));
        const found = this.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        if (found === undefined) fail(`finds nothing at ${map}.${top}.${second}`);
        return found;
      }
      case "Fn::Base64":
        return Buffer.from(String(this.resolve(argument, where))).toString("base64");
      case "Fn::GetAZs":
        return ["a", "b", "c"].map((zone) => `${this.place.region}${zone}`);
      default:
        return fail("is not supported by the local environment");
    }
  }

  private ref(target: string, where: string): unknown {
    switch (target) {
      case "AWS::AccountId":
        return this.place.account;
      case "AWS::Region":
        return this.place.region;
      case "AWS::Partition":
        return "aws";
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return this.name;
      case "AWS::StackId":
        return arns.stack(this.place, this.name);
      case "AWS::NoValue":
        return undefined;
    }
    if (target in this.parameters) return this.parameters[target];
    const parameter = this.template.Parameters?.[target];
    if (parameter !== undefined) {
      if (parameter.Default !== undefined) return parameter.Default;
      throw new AssemblyError(`${this.file}: ${where}: parameter ${target} has no value`);
    }
    return this.identity(this.known(target, where)).ref;
  }

  private getAtt(logicalId: string, attribute: string, where: string): unknown {
    const resource = this.resource(this.known(logicalId, where));
    if (resource.Type === "AWS::CloudFormation::Stack" && attribute.startsWith("Outputs.")) {
      return this.nestedOutput(logicalId, attribute.slice("Outputs.".length));
    }
    const value = this.identity(logicalId).attributes[attribute];
    if (value === undefined) {
      throw new AssemblyError(
        `${this.file}: ${where}: Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) is not known to the local environment`,
      );
    }
    return value;
  }

  private sub(argument: unknown, where: string): string {
    const [pattern, variables] = Array.isArray(argument) ? argument : [argument, {}];
    const values = this.resolve(variables, where) as Record<string, unknown>;
    return String(pattern).replace(
      /\$\{(!?)([^}]+)\}/g,
      (_whole, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        if (name in values) return String(values[name]);
        const [logicalId, attribute] = name.split(/\.(.*)/s);
        return String(
          attribute === undefined
            ? this.ref(name, where)
            : this.getAtt(String(logicalId), attribute, where),
        );
      },
    );
  }

  private condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new AssemblyError(`${this.file}: no condition ${name}`);
    const value = this.evaluateCondition(definition, `Conditions.${name}`);
    this.conditions.set(name, value);
    return value;
  }

  private evaluateCondition(definition: unknown, where: string): boolean {
    if (definition !== null && typeof definition === "object" && "Condition" in definition) {
      return this.condition(String((definition as { Condition: unknown }).Condition));
    }
    const [[operator, argument] = []] = Object.entries(definition ?? {});
    const operands = Array.isArray(argument) ? argument : [];
    switch (operator) {
      case "Fn::Equals": {
        const [a, b] = operands.map((operand) => JSON.stringify(this.resolve(operand, where)));
        return a === b;
      }
      case "Fn::And":
        return operands.every((operand) => this.evaluateCondition(operand, where));
      case "Fn::Or":
        return operands.some((operand) => this.evaluateCondition(operand, where));
      case "Fn::Not":
        return !this.evaluateCondition(operands[0], where);
      default:
        throw new AssemblyError(`${this.file}: ${where}: ${operator} is not a condition function`);
    }
  }

  private versionNumber(logicalId: string): string {
    const functionOf = (id: string) =>
      JSON.stringify(this.template.Resources?.[id]?.Properties?.FunctionName);
    const own = functionOf(logicalId);
    const siblings = this.resources
      .filter(([id, r]) => r.Type === "AWS::Lambda::Version" && functionOf(id) === own)
      .map(([id]) => id);
    return String(siblings.indexOf(logicalId) + 1);
  }

  private known(logicalId: string, where: string): string {
    if (this.template.Resources?.[logicalId] === undefined) {
      throw new AssemblyError(
        `${this.file}: ${where}: refers to ${logicalId}, which does not exist`,
      );
    }
    return logicalId;
  }

  private resource(logicalId: string): CfnResource {
    const resource = this.template.Resources?.[logicalId];
    if (!resource) throw new AssemblyError(`${this.file}: no resource ${logicalId}`);
    return resource;
  }
}
