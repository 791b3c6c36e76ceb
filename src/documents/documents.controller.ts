import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { ReadsFiles } from '../common/body.decorator.js';
import { ApiFileResponse, ApiProblems } from '../common/openapi.js';
import { DOCUMENT_TYPES } from './document.constants.js';
import { readUploadForm } from './document-upload.js';
import {
  DocumentListItem,
  DocumentResponse,
  DocumentSummary,
  DownloadQuery,
  UploadDocumentForm,
} from './dto/document.dto.js';
import { type DocumentDownload, DocumentsService } from './documents.service.js';

/** Sends a stored version as a download: its own type, never sniffed, under its own name. */
async function sendDocument(reply: FastifyReply, download: DocumentDownload): Promise<void> {
  await reply
    .header('content-type', download.version.contentType)
    .header('content-length', String(download.version.size))
    .header('content-disposition', contentDisposition(download.version.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(download.content);
}

@ApiTags('documents')
@ApiBearerAuth()
@ApiExtraModels(DocumentListItem, DocumentSummary)
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @ApiOperation({
    summary: 'Upload a document of a programme, or the next version of one',
    description:
      'multipart/form-data with `kind`, then `title` when wanted, then `file`. At most 25 MB; the type is told from the content.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDocumentForm })
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  @Post('programmes/:id/documents')
  @ReadsFiles()
  @Roles(...ACTION_RIGHTS.uploadDocuments)
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
  ): Promise<DocumentResponse> {
    return this.documents.upload(actor, id, await readUploadForm(request));
  }

  @ApiOperation({
    summary: "A programme's documents with their versions",
    description: 'Observers get each document without its files: kind, title, version and date.',
  })
  @ApiOkResponse({
    schema: {
      type: 'array',
      items: {
        oneOf: [
          { $ref: getSchemaPath(DocumentListItem) },
          { $ref: getSchemaPath(DocumentSummary) },
        ],
      },
    },
  })
  @ApiProblems(400, 401, 404)
  @Get('programmes/:id/documents')
  @Roles(...READ_RIGHTS.documents)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DocumentListItem[] | DocumentSummary[]> {
    return this.documents.list(actor, id);
  }

  @ApiOperation({ summary: "A document's file: the latest version, or the one asked for" })
  @ApiFileResponse('the bytes as uploaded', Object.keys(DOCUMENT_TYPES))
  @ApiProblems(400, 401, 403, 404)
  @Get('documents/:id/download')
  @Roles(...READ_RIGHTS.documentFiles)
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DownloadQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendDocument(reply, await this.documents.download(actor, id, query.version));
  }

  @ApiOperation({ summary: 'Delete a document with all its versions (the audit trail keeps it)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404)
  @Delete('documents/:id')
  @HttpCode(204)
  @Roles(...ACTION_RIGHTS.deleteDocuments)
  delete(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.documents.delete(actor, id);
  }
}
