package web

import (
	"net"

	"dakflow/internal/dak"
)

// routes lists every route of dakflow.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/verify/:code", s.verifyPage)
	e.POST("/verify/:code", s.verifyUpload)

	api := e.Group("/api/v1")
	api.POST("/auth/login", s.login)
	api.GET("/verify/:code", s.verifyJSON)
	api.GET("/trail-key", s.trailKey)
	api.GET("/keys", s.listKeys)
	api.GET("/checkpoints/latest", s.latestCheckpoint)
	api.GET("/checkpoints/proof", s.checkpointProof)

	a := api.Group("", s.requireToken)
	a.POST("/auth/logout", s.logout)
	a.GET("/me", s.me)
	a.GET("/regions", s.regions)
	a.GET("/workflows", s.workflows)
	a.GET("/workflows/:name", s.workflowDef)
	a.POST("/users", s.createUser, requireRole(dak.RoleAdmin))
	a.GET("/users", s.listUsers, requireRole(dak.RoleAdmin))
	a.GET("/fiscal-years", s.listFiscalYears)
	a.PUT("/fiscal-years/:year", s.putFiscalYear, requireRole(dak.RoleAdmin))
	a.GET("/fiscal-years/:year/summary", s.fiscalYearSummary)

	a.POST("/proposals", s.createProposal, requireRole(dak.RolePemda))
	a.GET("/proposals", s.listProposals)
	a.GET("/proposals/:id", s.getProposal)
	a.PUT("/proposals/:id", s.putProposal, requireRole(dak.RolePemda))
	a.POST("/proposals/:id/events", s.fireEvent)
	a.GET("/proposals/:id/events", s.listEvents)
	a.GET("/proposals/:id/documents", s.listDocuments)
	a.GET("/proposals/:id/revisions", s.listRevisions)
	a.POST("/proposals/:id/attachments", s.uploadAttachment, requireRole(dak.RolePemda))
	a.GET("/proposals/:id/attachments", s.listAttachments)
	a.GET("/attachments/:id/file", s.downloadAttachment)
	a.GET("/proposals/:id/trail", s.getTrail)
	a.GET("/documents/:id", s.getDocument)
	a.GET("/documents/:id/pdf", s.getDocumentPDF)

	// The auditor's work (PRODUCT.md §5): a region's or a year's trails as
	// one ZIP built in the background, and the log of every download.
	a.POST("/trail-exports", s.createExport, requireRole(dak.RoleAuditor))
	a.GET("/trail-exports", s.listExports, requireRole(dak.RoleAuditor))
	a.GET("/trail-exports/:id", s.getExport, requireRole(dak.RoleAuditor))
	a.GET("/trail-exports/:id/zip", s.downloadExport, requireRole(dak.RoleAuditor))
	a.GET("/access-log", s.listAccessLog, requireRole(dak.RoleAuditor, dak.RoleAdmin))

	if s.pages != nil {
		s.pages.routes(e)
	}
}

func netListen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
