import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;

  get offset(): number {
    return (this.page - 1) * this.pageSize;
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** What runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A list as SQL, for `paginate`. */
export interface ListSql {
  /**
   * `SELECT ... FROM ... WHERE ...`: every row of the list, without ORDER BY or LIMIT. Its
   * output columns are the page's, unless `select` says otherwise.
   */
  rows: string;
  /** The list's order, as an ORDER BY of `rows`; it ends with a unique column so pages never overlap. */
  orderBy: string;
  /** The page's columns, over `page` (the rows of the page) and `join`; `page.*` by default. */
  select?: string;
  /** Joins read for the page's rows only, such as `LEFT JOIN LATERAL (...) figures ON true`. */
  join?: string;
}

interface PageRow {
  page_total__: number;
  page_row__: string | null;
}

/**
 * The one way a list is cut into pages: one statement that counts every row of the list and
 * reads only the rows of the page. The count does not come from the page's rows, so a page past
 * the end answers no items and the true total, and the page is cut before `join` reads more for
 * each of its rows. `$1`... in `rows` are `params`; the limit and offset follow them.
 */
export async function paginate<T>(
  db: Queryable,
  query: Pick<PageQuery, 'page' | 'pageSize'>,
  list: ListSql,
  params: unknown[],
): Promise<Page<T>> {
  const limit = params.length + 1;
  const rows = (await db.query(
    `SELECT counted.total AS page_total__, page.page_row__, ${list.select ?? 'page.*'}
     FROM (SELECT count(*)::int AS total FROM (${list.rows}) listed) counted
     LEFT JOIN LATERAL (
       SELECT row_number() OVER () AS page_row__, cut.*
       FROM (${list.rows} ORDER BY ${list.orderBy} LIMIT $${limit} OFFSET $${limit + 1}) cut
     ) page ON true
     ${list.join ?? ''}
     ORDER BY page.page_row__`,
    [...params, query.pageSize, (query.page - 1) * query.pageSize],
  )) as (PageRow & T)[];
  return {
    items: rows
      .filter((row) => row.page_row__ !== null)
      .map(({ page_total__: _total, page_row__: _row, ...item }) => item as T),
    total: rows[0]?.page_total__ ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}
