import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { trimString } from '../../common/validators.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../document.constants.js';

/** The text fields of an upload's form, which come before its file. */
export class UploadDocumentDto {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind: DocumentKind;

  @ApiPropertyOptional({
    description:
      "the document's name within its kind; without one, the programme's document of that kind. " +
      'A new upload of the same kind and title is its next version',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  title?: string;
}

/** The multipart form of an upload, as OpenAPI shows it. */
export class UploadDocumentForm extends UploadDocumentDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'PDF, DOCX, XLSX, PPTX, ODT, PNG or JPEG, at most 25 MB; after kind and title',
  })
  file: unknown;
}

export class DownloadQuery {
  @ApiPropertyOptional({ description: 'a version number; the latest without it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;
}

/** One version of a document: who put which file there, when. */
export class DocumentVersionResponse {
  @ApiProperty() version: number;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'SHA-256 of the bytes, hex' }) sha256: string;
  @ApiProperty() uploadedAt: Date;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
}

/** A document with its latest version's facts, as an upload answers it. */
export class DocumentResponse extends DocumentVersionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: DocumentKind;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
}

/** A document of a programme's list, with every version, newest first. */
export class DocumentListItem extends DocumentResponse {
  @ApiProperty({ type: [DocumentVersionResponse] }) versions: DocumentVersionResponse[];
}

/** What an observer sees of a document: that it is there, not its file. */
export class DocumentSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: DocumentKind;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty() version: number;
  @ApiProperty() uploadedAt: Date;
}
