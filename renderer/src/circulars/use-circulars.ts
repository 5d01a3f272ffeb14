import { useSession } from '../session/session-context';
import type { CircularsController } from './circulars-controller';

/**
 * The circulars controller of the signed-in session. The session root creates and starts it at
 * sign-in and stops it at logout, so inbox, badge, dashboards and fan-outs stay live whichever
 * view is open.
 * @throws Error outside a signed-in session.
 */
export function useCircularsController(): CircularsController {
  const circulars = useSession().controller.circulars;
  if (!circulars) throw new Error('useCircularsController needs a signed-in session.');
  return circulars;
}
