import { RequestMethod } from '@nestjs/common';

/** The pages and their forms live at the site's root, outside the API's /api/v1 prefix. */
export const WEB_PAGE_ROUTES: { path: string; method: RequestMethod }[] = [
  { path: '/', method: RequestMethod.GET },
  { path: 'login', method: RequestMethod.GET },
  { path: 'login', method: RequestMethod.POST },
  { path: 'logout', method: RequestMethod.POST },
  { path: 'app/portfolio', method: RequestMethod.GET },
  { path: 'app/queue', method: RequestMethod.GET },
  { path: 'app/queue/transitions/:id/approve', method: RequestMethod.POST },
  { path: 'app/queue/transitions/:id/reject', method: RequestMethod.POST },
  { path: 'app/countries/:code', method: RequestMethod.GET },
  { path: 'app/countries/:code/programmes/:id/transitions', method: RequestMethod.POST },
  { path: 'app/countries/:code/programmes/:id/status-updates', method: RequestMethod.POST },
  { path: 'app/countries/:code/programmes/:id/milestones', method: RequestMethod.POST },
  {
    path: 'app/countries/:code/programmes/:id/milestones/:milestoneId',
    method: RequestMethod.POST,
  },
  {
    path: 'app/countries/:code/programmes/:id/milestones/:milestoneId/status',
    method: RequestMethod.POST,
  },
  { path: 'app/assessments/:id', method: RequestMethod.GET },
  { path: 'app/assessments/:id/responses/:indicatorKey', method: RequestMethod.POST },
  { path: 'app/assessments/:id/submit', method: RequestMethod.POST },
  { path: 'app/assessments/:id/validate', method: RequestMethod.POST },
  { path: 'app/assessments/:id/return', method: RequestMethod.POST },
  { path: 'app/reports', method: RequestMethod.GET },
  { path: 'app/reports', method: RequestMethod.POST },
  { path: 'app/notifications', method: RequestMethod.GET },
  { path: 'app/notifications/:id/retry', method: RequestMethod.POST },
  { path: 'app/account', method: RequestMethod.GET },
  { path: 'app/account/password', method: RequestMethod.POST },
];
