import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A file of a report, as an e-mail attachment. */
export interface ReportAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/**
 * The files a report e-mail carries, read from the reports module's report_files. A read model
 * rather than a call to the reports module, which imports this one to send its e-mails.
 */
@Injectable()
export class ReportAttachmentsQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The report's files, in the order of their formats; none if the report has none. */
  filesOf(reportId: string): Promise<ReportAttachment[]> {
    return this.dataSource.query(
      `SELECT file_name AS filename, content, content_type AS "contentType" FROM report_files
       WHERE report_id = $1 ORDER BY format`,
      [reportId],
    );
  }
}
