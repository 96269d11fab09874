import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a synthesized cloud assembly the way CloudFormation and the CDK CLI would use it: the stack's template,
 * the `Custom::WickrUsersCount` resources in it, and the folder of the function asset behind their ServiceToken.
 * Intrinsic functions are resolved only as far as these resources need, for one region and account.
 */

export interface DeployTarget {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
}

export interface FoundCustomResource {
  readonly logicalId: string;
  /** As CloudFormation hands them to the function: intrinsics resolved, every scalar a string. */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly provider: FoundFunction;
}

export interface FoundFunction {
  readonly logicalId: string;
  readonly arn: string;
  /** The asset folder in the cloud assembly, e.g. `cdk.out/asset.61c6...`. */
  readonly assetPath: string;
  /** The module file and its export, from `Handler` (e.g. `index.handler`). */
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly timeoutSeconds: number;
  readonly runtime: string;
}

type Template = { Resources: Record<string, TemplateResource>; Parameters?: Record<string, { Default?: unknown }> };
type TemplateResource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };

type Manifest = { artifacts: Record<string, ManifestArtifact> };

function readTemplate(outdir: string, manifest: Manifest, stackName: string): Template {
  const stack = manifest.artifacts[stackName];
  if (stack?.type !== 'aws:cloudformation:stack') {
    throw new Error(`The cloud assembly in ${outdir} has no stack named ${stackName}.`);
  }
  return readJson(join(outdir, stack.properties.templateFile)) as Template;
}

export function findCustomResources(outdir: string, target: DeployTarget): FoundCustomResource[] {
  // The manifest names both the stack's template and the function assets' manifests.
  const manifest = readJson(join(outdir, 'manifest.json')) as Manifest;
  const template = readTemplate(outdir, manifest, target.stackName);
  const resolver = new Resolver(template, target);
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'Custom::WickrUsersCount')
    .map(([logicalId, resource]) => {
      const properties = resolver.resolve(resource.Properties ?? {}, logicalId) as Record<string, unknown>;
      const serviceToken = (resource.Properties ?? {}).ServiceToken;
      const functionId = getAttTarget(serviceToken);
      if (!functionId) {
        const got = JSON.stringify(serviceToken);
        throw new Error(`${logicalId}.ServiceToken must be Fn::GetAtt of a function's Arn, got ${got}.`);
      }
      return { logicalId, properties, provider: findFunction(outdir, manifest, template, functionId, resolver) };
    });
}

function findFunction(
  outdir: string, manifest: Manifest, template: Template, logicalId: string, resolver: Resolver,
): FoundFunction {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`The ServiceToken points at ${logicalId}, which is not an AWS::Lambda::Function.`);
  }
  const properties = resource.Properties ?? {};
  const [file, exportName] = splitHandler(String(properties.Handler));
  const assetPath = join(outdir, assetFolder(outdir, manifest, logicalId, resource));
  return {
    logicalId,
    arn: resolver.functionArn(logicalId),
    assetPath,
    handlerFile: join(assetPath, `${file}.js`),
    handlerExport: exportName,
    timeoutSeconds: Number(properties.Timeout ?? 3),
    runtime: String(properties.Runtime),
  };
}

/**
 * The asset folder: from the `aws:asset:path` metadata when the app asked for it, otherwise from the assets
 * manifest entry whose S3 object the function's Code names.
 */
function assetFolder(outdir: string, manifest: Manifest, logicalId: string, resource: TemplateResource): string {
  const fromMetadata = resource.Metadata?.['aws:asset:path'];
  if (typeof fromMetadata === 'string') {
    return fromMetadata;
  }

  const code = (resource.Properties?.Code ?? {}) as { S3Key?: unknown };
  for (const artifact of Object.values(manifest.artifacts)) {
    if (artifact.type !== 'cdk:asset-manifest') {
      continue;
    }
    const assets = readJson(join(outdir, artifact.properties.file)) as AssetManifest;
    for (const asset of Object.values(assets.files ?? {})) {
      if (Object.values(asset.destinations).some((destination) => destination.objectKey === code.S3Key)) {
        return asset.source.path;
      }
    }
  }
  throw new Error(`No asset in ${outdir} holds the code of ${logicalId} (S3Key ${JSON.stringify(code.S3Key)}).`);
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) {
    throw new Error(`The function's Handler must look like "index.handler", got ${JSON.stringify(handler)}.`);
  }
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

function getAttTarget(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** The few intrinsic functions a custom resource's properties use; anything else is reported, not guessed. */
class Resolver {
  constructor(private readonly template: Template, private readonly target: DeployTarget) {}

  resolve(value: unknown, at: string): unknown {
    if (value === null || value === undefined) {
      return value;
    }
    if (typeof value !== 'object') {
      // CloudFormation hands every scalar property of a custom resource to its function as a string.
      return String(value);
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => this.resolve(item, `${at}[${i}]`));
    }

    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'Ref') {
      return this.ref(String(entries[0][1]), at);
    }
    if (entries.length === 1 && entries[0][0] === 'Fn::GetAtt') {
      const target = getAttTarget(value);
      if (target && this.template.Resources[target]?.Type === 'AWS::Lambda::Function') {
        return this.functionArn(target);
      }
      throw new Error(`${at}: cannot resolve ${JSON.stringify(value)} locally.`);
    }
    if (entries.length === 1 && entries[0][0] === 'Fn::Join') {
      const [separator, parts] = entries[0][1] as [string, unknown[]];
      return parts.map((part, i) => this.resolve(part, `${at}.Fn::Join[${i}]`)).join(separator);
    }
    if (entries.length === 1 && entries[0][0] === 'Fn::Sub' && typeof entries[0][1] === 'string') {
      return entries[0][1].replace(/\$\{([^}]+)\}/g, (_, name: string) => String(this.ref(name, at)));
    }
    if (entries.length === 1 && entries[0][0].startsWith('Fn::')) {
      throw new Error(`${at}: ${entries[0][0]} is not resolved locally.`);
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item, `${at}.${key}`)]));
  }

  functionArn(logicalId: string): string {
    return `arn:aws:lambda:${this.target.region}:${this.target.accountId}:function:${this.physicalName(logicalId)}`;
  }

  private ref(name: string, at: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return this.target.region;
      case 'AWS::AccountId':
        return this.target.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.target.stackName;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter && parameter.Default !== undefined) {
      return String(parameter.Default);
    }
    if (this.template.Resources[name]) {
      return this.physicalName(name);
    }
    throw new Error(`${at}: cannot resolve Ref ${name} locally.`);
  }

  /** CloudFormation names an unnamed resource after the stack and its logical id (plus a random suffix). */
  private physicalName(logicalId: string): string {
    return `${this.target.stackName}-${logicalId}`.slice(0, 64);
  }
}

interface ManifestArtifact {
  readonly type: string;
  readonly properties: { readonly templateFile: string; readonly file: string };
}

interface AssetManifest {
  readonly files?: Record<string, {
    readonly source: { readonly path: string };
    readonly destinations: Record<string, { readonly objectKey: string }>;
  }>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
