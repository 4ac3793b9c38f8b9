import { describe, expect, it } from "vitest";
import { DatasetType } from "../../datasets/dataset-type.ts";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { FileTemplateError } from "../../errors.ts";
import { FileTemplate } from "./file-template.ts";

const universe = defaultUniverse();

/** The FileTemplateError `fn` throws, checked for its class and code. */
function templateError(fn: () => unknown): FileTemplateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FileTemplateError);
    expect((error as FileTemplateError).code).toBe("FileTemplateError");
    return error as FileTemplateError;
  }
  throw new Error("expected a FileTemplateError");
}

describe("FileTemplate.validate", () => {
  const type = (name: string, dimensions: string[], storageClass = "ExposureF") =>
    DatasetType.make(universe, { name, dimensions, storageClass });
  const calexp = type("calexp", ["visit", "detector"]);
  const where = `dataset type "calexp" {band, instrument, day_obs, detector, physical_filter, visit}`;

  function validationError(text: string, datasetType: DatasetType): FileTemplateError {
    return templateError(() => FileTemplate.parse(text).validate(datasetType));
  }

  it("accepts a template with every required dimension, optional extras and record fields", () => {
    FileTemplate.parse("{run}/{visit}/{tract:?}/{band}_{instrument}_{detector.full_name}").validate(calexp);
    FileTemplate.parse("{run}/{component:?}/{visit}_{instrument:?}_{detector}").validate(
      type("calexp.wcs", ["visit", "detector"]),
    );
  });

  it("requires a component field for a component", () => {
    const error = validationError("{run}/{visit}_{detector}", type("calexp.wcs", ["visit", "detector"]));
    expect(error.message).toBe(
      `File template "{run}/{visit}_{detector}" cannot be used for dataset type "calexp.wcs" {band, instrument, day_obs, detector, physical_filter, visit}: it is a component but the template has no {component} field`,
    );
    expect(error.hint).toBe("Add {component:?} to the template.");
  });

  it("forbids a mandatory component for a parent", () => {
    const error = validationError("{run}/{component}/{visit}_{detector}", calexp);
    expect(error.message).toBe(
      `File template "{run}/{component}/{visit}_{detector}" cannot be used for ${where}: {component} is mandatory but it is not a component`,
    );
    expect(error.hint).toBe("Make the field optional: {component:?}.");
  });

  it("requires mandatory fields to be dimensions of the dataset type", () => {
    const error = validationError("{run}/{tract}/{visit}_{detector}_{patch.id}", calexp);
    expect(error.message).toBe(
      `File template "{run}/{tract}/{visit}_{detector}_{patch.id}" cannot be used for ${where}: mandatory fields "tract", "patch" are not dimensions of the dataset type`,
    );
    expect(error.hint).toBe("Make them optional ({tract:?}) or give this dataset type its own template.");
  });

  it("requires every required dimension, so that paths are unique", () => {
    const error = validationError("{run}/{visit}_{band}_{instrument:?}", calexp);
    expect(error.message).toBe(
      `File template "{run}/{visit}_{band}_{instrument:?}" cannot be used for ${where}: required dimension "detector" is not in the template, so its paths would not be unique`,
    );
    expect(error.hint).toBe(
      "Add {detector} (or a record field of it, such as {detector.id}) to the template.",
    );
    FileTemplate.parse("{run}/{visit}_{instrument}_{detector.full_name:?}").validate(calexp);
  });

  it("requires record fields to exist", () => {
    const error = validationError("{run}/{instrument}/{visit}_{detector.fullname}", calexp);
    expect(error.message).toBe(
      `File template "{run}/{instrument}/{visit}_{detector.fullname}" cannot be used for ${where}: a detector record has no field "fullname" (in "detector.fullname")`,
    );
    expect(error.hint).toBe('Did you mean "full_name"?');
  });

  it("accepts a skypix dimension by its name or as {skypix}", () => {
    const pixels = type("pixels", ["htm7"]);
    FileTemplate.parse("{run}/{skypix}").validate(pixels);
    FileTemplate.parse("{run}/{htm7}_{skypix.id:?}").validate(pixels);
    expect(validationError("{run}/{skypix}", calexp).message).toContain(
      'mandatory field "skypix" is not a dimension',
    );
  });
});
