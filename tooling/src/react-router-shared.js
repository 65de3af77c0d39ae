// The `react-router` every federated build shares as its singleton: only the names the shell
// and the remotes import, so the shared module is tree-shaken instead of shipped whole (the
// package is ~61 KB gzip, these names ~30 KB; bench/cold-load.ts). Builds resolve
// `react-router` to this file and `react-router-package` to the real package (reactRouterAlias in
// shared-singletons.ts): a plain `react-router` import here would resolve to this very module.
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
