import { childPath } from "../config/config-node.ts";
import { ConfigError } from "../errors.ts";
import { didYouMean } from "../util/suggest.ts";
import type { ColumnSpec, DimensionConfig, ElementConfig, SkyPixSystemConfig } from "./dimension-config.ts";
import { Dimension, DimensionElement, type ElementInit, SkyPixDimension } from "./elements.ts";
import { SkyPixSystem, TopologicalFamily } from "./topology.ts";
import type { DimensionUniverse } from "./universe.ts";

/** The parts of a universe, in universe order. */
export interface UniverseParts {
  readonly elements: readonly DimensionElement[];
  readonly dimensions: readonly Dimension[];
  readonly skyPixSystems: readonly SkyPixSystem[];
  readonly families: readonly TopologicalFamily[];
  readonly commonSkyPix: SkyPixDimension;
}

const SKYPIX_KEY: ColumnSpec = Object.freeze({
  name: "id",
  type: "int",
  doc: "Index of the pixel.",
  nullable: false,
  length: undefined,
  nbytes: undefined,
});

/** One unit of construction: an element, a skypix system or a family, and what it must wait for. */
interface Step {
  readonly name: string;
  readonly dependsOn: ReadonlySet<string>;
  readonly build: () => void;
}

/**
 * Build the elements of `universe` from `config` in daf_butler's order: repeatedly take every element,
 * skypix system and family whose dependencies are built, in name order. That order fixes the order of
 * data ID keys, record fields and SQL columns, so it must match daf_butler's exactly.
 * @throws {ConfigError} naming the path of a bad reference, a cycle or an inconsistent family.
 */
export function buildElements(universe: DimensionUniverse, config: DimensionConfig): UniverseParts {
  const configs = new Map(config.elements.map((element) => [element.name, element]));
  const systems = new Map(config.skyPixSystems.map((system) => [system.name, system]));
  const skyPixOwner = skyPixNames(config.skyPixSystems);
  checkNames(config, skyPixOwner);
  for (const element of config.elements) checkReferences(element, configs, skyPixOwner);
  const membership = familyMembership(config, configs);

  const elements: DimensionElement[] = [];
  const dimensions: Dimension[] = [];
  const byName = new Map<string, Dimension>();
  const skyPixSystems: SkyPixSystem[] = [];
  const familyMembers = new Map<string, DimensionElement[]>();

  const addDimension = (dimension: Dimension) => {
    elements.push(dimension);
    dimensions.push(dimension);
    byName.set(dimension.name, dimension);
  };
  const base = (name: string) => ({ universe, name, index: elements.length, doc: "", metadata: [] });

  const steps: Step[] = [];
  for (const system of config.skyPixSystems) {
    steps.push({
      name: system.name,
      dependsOn: new Set(),
      build: () => {
        const levels: SkyPixDimension[] = [];
        for (let level = system.minLevel; level <= system.maxLevel; level++) {
          const name = `${system.name}${level}`;
          const dimension = new SkyPixDimension(
            {
              ...base(name),
              kind: "skypix",
              requiredDependencies: [],
              implied: [],
              isCached: false,
              alwaysJoin: false,
              populatedBy: null,
              spatialFamily: system.name,
              temporalFamily: null,
              keys: [SKYPIX_KEY],
              impliedUnionTarget: null,
            },
            system.name,
            level,
          );
          levels.push(dimension);
          addDimension(dimension);
        }
        skyPixSystems.push(
          new SkyPixSystem(system.name, system.pixelizationClass, system.minLevel, system.maxLevel, levels),
        );
      },
    });
  }
  for (const element of config.elements) {
    const dependsOn = new Set(
      [...element.requires, ...element.implies].map((name) => skyPixOwner.get(name) ?? name),
    );
    steps.push({
      name: element.name,
      dependsOn,
      build: () => {
        const position = (d: Dimension) => dimensions.indexOf(d);
        const required = new Set<Dimension>();
        for (const name of element.requires) {
          for (const dependency of (byName.get(name) as Dimension).required) required.add(dependency);
        }
        const init: ElementInit = {
          ...base(element.name),
          doc: element.doc,
          metadata: element.metadata,
          kind: element.governor ? "governor" : element.keys.length > 0 ? "dimension" : "combination",
          requiredDependencies: [...required].sort((a, b) => position(a) - position(b)),
          implied: element.implies
            .map((name) => byName.get(name) as Dimension)
            .sort((a, b) => position(a) - position(b)),
          isCached: element.isCached,
          alwaysJoin: element.alwaysJoin,
          populatedBy: element.populatedBy === null ? null : (byName.get(element.populatedBy) as Dimension),
          spatialFamily: membership.get(`spatial:${element.name}`) ?? null,
          temporalFamily: membership.get(`temporal:${element.name}`) ?? null,
        };
        if (element.keys.length > 0) {
          addDimension(
            new Dimension({ ...init, keys: element.keys, impliedUnionTarget: element.impliedUnionTarget }),
          );
        } else {
          elements.push(new DimensionElement(init));
        }
      },
    });
  }
  for (const family of config.families) {
    steps.push({
      name: family.name,
      dependsOn: new Set(family.members),
      build: () => {
        familyMembers.set(
          family.name,
          family.members.map((member) => elements.find((e) => e.name === member) as DimensionElement),
        );
      },
    });
  }
  runInDependencyOrder(steps);

  const families = config.families.map((family, i) => {
    const members = familyMembers.get(family.name) as DimensionElement[];
    const governors = new Set(members.map((member) => member.governor));
    const [governor] = governors;
    if (governors.size !== 1 || !governor) {
      const names = [...governors].map((g) => (g === null ? "none" : g.name)).join(", ");
      throw new ConfigError(`family members must share exactly one governor dimension; found ${names}`, {
        path: familyPath(config, i),
      });
    }
    return new TopologicalFamily(family.name, family.space, members, governor);
  });
  const commonSkyPix = dimensions.find((d) => d.name === config.commonSkyPix);
  if (!(commonSkyPix instanceof SkyPixDimension)) {
    throw new ConfigError(`"${config.commonSkyPix}" is not a skypix dimension of this universe`, {
      path: "skypix.common",
      hint: `Use a system name and a level, e.g. ${[...systems.values()].map((s) => `${s.name}${s.minLevel}`).join(" or ")}.`,
    });
  }
  return { elements, dimensions, skyPixSystems, families, commonSkyPix };
}

/** Run every step once its dependencies have run, in rounds whose ties are broken by name. */
function runInDependencyOrder(steps: readonly Step[]): void {
  const pending = new Map(steps.map((step) => [step.name, step]));
  while (pending.size > 0) {
    const ready = [...pending.values()]
      .filter((step) => ![...step.dependsOn].some((name) => pending.has(name)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (ready.length === 0) {
      throw new ConfigError(`dependency cycle: ${findCycle(pending).join(" -> ")}`, {
        path: "elements",
        hint: "An element may not require or imply, directly or not, an element that depends on it.",
      });
    }
    for (const step of ready) {
      pending.delete(step.name);
      step.build();
    }
  }
}

/** A cycle among steps none of which can run, as names from the first member back to itself. */
function findCycle(pending: ReadonlyMap<string, Step>): string[] {
  const path: string[] = [];
  const cleared = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    const at = path.indexOf(name);
    if (at >= 0) return [...path.slice(at), name];
    if (cleared.has(name)) return undefined;
    path.push(name);
    const dependencies = [...(pending.get(name)?.dependsOn ?? [])].filter((d) => pending.has(d)).sort();
    for (const dependency of dependencies) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    cleared.add(name);
    return undefined;
  };
  for (const name of [...pending.keys()].sort()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return [...pending.keys()];
}

/** Map of every skypix dimension name (`htm7`) to its system (`htm`). */
function skyPixNames(systems: readonly SkyPixSystemConfig[]): Map<string, string> {
  const owner = new Map<string, string>();
  for (const system of systems) {
    for (let level = system.minLevel; level <= system.maxLevel; level++)
      owner.set(`${system.name}${level}`, system.name);
  }
  return owner;
}

/** Elements, skypix systems and families share one namespace; skypix dimension names are taken too. */
function checkNames(config: DimensionConfig, skyPixOwner: ReadonlyMap<string, string>): void {
  const taken = new Map<string, string>();
  for (const system of config.skyPixSystems) taken.set(system.name, `skypix.${system.name}`);
  for (const [name, system] of skyPixOwner) taken.set(name, `skypix.${system}`);
  const claim = (name: string, path: string) => {
    const other = taken.get(name);
    if (other !== undefined) throw new ConfigError(`name "${name}" is already used by ${other}`, { path });
    taken.set(name, path);
  };
  for (const element of config.elements) claim(element.name, `elements.${element.name}`);
  config.families.forEach((family, i) => {
    claim(family.name, familyPath(config, i));
  });
}

function checkReferences(
  element: ElementConfig,
  configs: ReadonlyMap<string, ElementConfig>,
  skyPixOwner: ReadonlyMap<string, string>,
): void {
  const path = `elements.${element.name}`;
  const dimensionNames = [
    ...[...configs.values()].filter((c) => c.keys.length > 0).map((c) => c.name),
    ...skyPixOwner.keys(),
  ];
  const checkDimension = (name: string, at: string) => {
    if (skyPixOwner.has(name)) return;
    const target = configs.get(name);
    if (target === undefined) {
      throw new ConfigError(`unknown dimension "${name}"`, {
        path: at,
        hint: didYouMean(name, dimensionNames),
      });
    }
    if (target.keys.length === 0) {
      throw new ConfigError(`"${name}" is a dimension combination (it has no keys), not a dimension`, {
        path: at,
      });
    }
    if (name === element.name)
      throw new ConfigError(`element "${name}" cannot depend on itself`, { path: at });
  };
  element.requires.forEach((name, i) => {
    checkDimension(name, childPath(`${path}.requires`, i));
  });
  element.implies.forEach((name, i) => {
    checkDimension(name, childPath(`${path}.implies`, i));
    if (element.requires.includes(name)) {
      throw new ConfigError(`"${name}" is both required and implied`, {
        path: childPath(`${path}.implies`, i),
      });
    }
  });
  if (element.populatedBy !== null && !element.requires.includes(element.populatedBy)) {
    throw new ConfigError(
      `populated_by "${element.populatedBy}" must be one of the element's required dimensions`,
      {
        path: `${path}.populated_by`,
      },
    );
  }
  const target = element.impliedUnionTarget;
  if (target !== null) {
    const targetConfig = configs.get(target);
    if (targetConfig === undefined || !targetConfig.implies.includes(element.name)) {
      throw new ConfigError(
        `implied-union target "${target}" must be a dimension that implies "${element.name}"`,
        {
          path,
          hint: didYouMean(target, dimensionNames),
        },
      );
    }
  }
}

/** Map `space:element` to the family that element belongs to, checking each element is in one per space. */
function familyMembership(
  config: DimensionConfig,
  configs: ReadonlyMap<string, ElementConfig>,
): Map<string, string> {
  const membership = new Map<string, string>();
  config.families.forEach((family, i) => {
    family.members.forEach((member, j) => {
      const path = childPath(familyPath(config, i), j);
      if (!configs.has(member)) {
        throw new ConfigError(`unknown element "${member}"`, {
          path,
          hint: didYouMean(member, configs.keys()),
        });
      }
      const key = `${family.space}:${member}`;
      const other = membership.get(key);
      if (other !== undefined) {
        throw new ConfigError(`"${member}" is already a member of the ${family.space} family "${other}"`, {
          path,
        });
      }
      membership.set(key, family.name);
    });
  });
  return membership;
}

function familyPath(config: DimensionConfig, index: number): string {
  const family = config.families[index];
  return family === undefined ? "topology" : `topology.${family.space}.${family.name}`;
}
