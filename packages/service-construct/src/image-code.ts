import { IgnoreMode } from "aws-cdk-lib";
import * as ecrAssets from "aws-cdk-lib/aws-ecr-assets";
import * as lambda from "aws-cdk-lib/aws-lambda";

/**
 * Left out of every image asset even where the service has no `.dockerignore`: nothing the
 * image needs, and each would change the asset hash without changing the image.
 */
const ALWAYS_EXCLUDED = ["node_modules", ".turbo", "src", "test", "coverage", "cdk.out", "*.log"];

/** The service's container image, built from its folder's Dockerfile for the architecture. */
export function imageCode(
  serviceDirectory: string,
  architecture: lambda.Architecture,
  buildArgs: Record<string, string> | undefined,
): lambda.DockerImageCode {
  return lambda.DockerImageCode.fromImageAsset(serviceDirectory, {
    platform:
      architecture === lambda.Architecture.ARM_64
        ? ecrAssets.Platform.LINUX_ARM64
        : ecrAssets.Platform.LINUX_AMD64,
    buildArgs,
    exclude: ALWAYS_EXCLUDED,
    ignoreMode: IgnoreMode.DOCKER,
  });
}
