/** Everything this remote exposes, in one place. The shell only ever loads `./mount`. */
export const federation = {
  name: 'chat_core',
  exposes: { './mount': './src/mount.tsx' },
};
