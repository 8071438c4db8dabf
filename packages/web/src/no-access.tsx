// What an outsider sees at a project's link: why there is nothing to show, and what to do about it. The API answers
// a project the caller has no role in as if it did not exist, so "missing" and "no access" look alike here on purpose.
import { routeHref } from './use-hash-route';

export function NoAccess({ project }: { project: string }) {
  return (
    <div className="empty-state" role="alert" data-testid="no-access">
      <p className="empty-state-title">No access to “{project}”</p>
      <p>
        This project does not exist, or you have no role in it. Ask one of its admins to add you as a member (viewer,
        editor or admin), or check the link you followed.
      </p>
      <a className="button button-secondary" href={routeHref({ tab: 'datasets' })}>
        Your projects
      </a>
    </div>
  );
}
