import packageJson from '../../package.json' with { type: 'json' };

/** The version of the `zk-lock` package, for `zk-lock --version`. */
export const version: string = packageJson.version;
