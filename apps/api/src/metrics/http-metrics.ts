import type { NextFunction, Request, Response } from 'express';
import type { ServiceMetrics } from '@buf/telemetry';

/** The route of taking an action, as Express names it once Nest's global prefix is applied. */
export const ACTION_ROUTE = '/api/v1/cases/:caseId/actions/:action';

/**
 * Times every request by its route template (never its path: a path holds case ids), method and
 * status; an action refused (4xx on the action route) is counted by process, action and status.
 */
export function httpMetrics(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpRequestDuration.startTimer();
    res.once('finish', () => {
      const route = typeof req.route?.path === 'string' ? req.route.path : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
      if (route === ACTION_ROUTE && res.statusCode >= 400 && res.statusCode < 500) {
        metrics.countRefusal(String(req.params.caseId), String(req.params.action), res.statusCode);
      }
    });
    next();
  };
}
