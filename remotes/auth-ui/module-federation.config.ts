/** Everything this remote exposes, in one place. The shell only ever loads `./mount`. */
export const federation = {
  name: 'auth_ui',
  exposes: { './mount': './src/mount.tsx' },
};
