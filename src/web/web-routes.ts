import { RequestMethod } from '@nestjs/common';

/** The pages live at the site's root, outside the API's /api/v1 prefix. */
export const WEB_PAGE_ROUTES: { path: string; method: RequestMethod }[] = [
  { path: '/', method: RequestMethod.GET },
  { path: 'login', method: RequestMethod.GET },
  { path: 'login', method: RequestMethod.POST },
  { path: 'logout', method: RequestMethod.POST },
  { path: 'app/portfolio', method: RequestMethod.GET },
  { path: 'app/queue', method: RequestMethod.GET },
  { path: 'app/countries/:code', method: RequestMethod.GET },
  { path: 'app/assessments/:id', method: RequestMethod.GET },
  { path: 'app/reports', method: RequestMethod.GET },
  { path: 'app/notifications', method: RequestMethod.GET },
];
