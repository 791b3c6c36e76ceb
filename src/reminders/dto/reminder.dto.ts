import { ApiProperty } from '@nestjs/swagger';

export class ReminderScanAccepted {
  @ApiProperty({ description: 'the id of the queued scan job', example: 'manual-1764201600000' })
  jobId: string;
}
