declare const __REMOTE_VERSION__: string;

/** The version this build was published as (defined by the build preset in tooling/). */
export const remoteVersion: string = __REMOTE_VERSION__;
