// The `react-router` every federated build shares as its singleton: only the names the shell
// and the remotes import, so the shared module is tree-shaken instead of shipped whole (the
// package is ~61 KB gzip, these names ~30 KB; bench/cold-load.ts). `react-router-package` is
// the real package under another request (alias in rspack-common.ts): a plain `react-router`
// import here would itself be consumed from the share scope, i.e. from this very module.
// react-router-shared.test.ts fails when a build imports a name missing here.
export {
  createBrowserRouter,
  Link,
  Navigate,
  NavLink,
  Outlet,
  Route,
  RouterProvider,
  Routes,
  useLocation,
  useNavigate,
  useParams,
  useSearchParams,
} from 'react-router-package';
