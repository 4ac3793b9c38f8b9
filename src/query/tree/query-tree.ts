import type { Predicate, ValueExpression } from "./expressions.ts";

/** A dataset type searched for in an ordered list of collections. */
export interface DatasetSearch {
  readonly datasetType: string;
  /** Collections in search order (chains are expanded when the query runs). */
  readonly collections: readonly string[];
}

/**
 * What a query looks at: the dimensions whose values form its rows, the dataset searches joined in (a
 * row needs a matching dataset), and the condition rows must meet. Frozen and JSON-serializable.
 */
export interface QueryTree {
  /** Dimension names (the group is these plus their dependencies). */
  readonly dimensions: readonly string[];
  readonly datasets: readonly DatasetSearch[];
  readonly predicate: Predicate;
}

/** One ORDER BY term: a column or expression of the query, ascending or descending. */
export interface OrderTerm {
  readonly value: ValueExpression;
  readonly descending: boolean;
}

/** What a query returns: data IDs, records of one element, or datasets of one type. */
export type ResultSpec =
  | {
      readonly kind: "dataIds";
      readonly dimensions: readonly string[];
      readonly orderBy: readonly OrderTerm[];
      readonly limit?: number;
      readonly offset?: number;
    }
  | {
      readonly kind: "dimensionRecords";
      readonly element: string;
      readonly orderBy: readonly OrderTerm[];
      readonly limit?: number;
      readonly offset?: number;
    }
  | {
      readonly kind: "datasets";
      readonly datasetType: string;
      /** Keep only the first dataset of each data ID in the search's collection order. */
      readonly findFirst: boolean;
      readonly orderBy: readonly OrderTerm[];
      readonly limit?: number;
      readonly offset?: number;
    };

/** A query tree and the result it asks for: everything needed to run a query, on any server. */
export interface QuerySpec {
  readonly tree: QueryTree;
  readonly result: ResultSpec;
}
