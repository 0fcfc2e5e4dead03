package web

import (
	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// routes lists every route of dakflow, the JSON API and the pages, each
// with its handler and its middleware, in the order a request meets them:
// who you are (a bearer token for the API, the session cookie for a page),
// for a page form the CSRF token, then the roles allowed. The authorization
// matrix (authz_matrix_test.go) holds every route registered here to a
// rule, and fails for one it has none for.
func (s *Server) routes() {
	e := s.echo
	pemda := requireRole(dak.RolePemda)
	auditor := requireRole(dak.RoleAuditor)
	admin := requireRole(dak.RoleAdmin)
	auditorOrAdmin := requireRole(dak.RoleAuditor, dak.RoleAdmin)
	monitors := requireRole(dak.RoleVerifier, dak.RoleAuditor, dak.RoleAdmin, dak.RolePemda)

	// Public: probes, metrics, document verification (observability.go,
	// verify.go).
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/verify/:code", s.verifyPage)
	e.POST("/verify/:code", s.verifyUpload)

	// The API, public part: login, verification and the transparency log
	// (transparency.go).
	api := e.Group("/api/v1")
	api.POST("/auth/login", s.login)
	api.GET("/verify/:code", s.verifyJSON)
	api.GET("/trail-key", s.trailKey)
	api.GET("/keys", s.listKeys)
	api.GET("/checkpoints/latest", s.latestCheckpoint)
	api.GET("/checkpoints/proof", s.checkpointProof)
	api.GET("/openapi.json", s.openAPI) // the API's description (openapi.go)

	// The API with a bearer token (auth.go, reference.go).
	a := api.Group("", s.requireToken)
	a.POST("/auth/logout", s.logout)
	a.GET("/me", s.me)
	a.PUT("/me/notifications", s.putNotificationSettings) // notifications (notifications.go)
	a.GET("/notifications", s.listNotifications)
	a.POST("/notifications/read-all", s.readAllNotifications)
	a.POST("/notifications/:id/read", s.readNotification)
	a.GET("/regions", s.regions)
	a.GET("/workflows", s.workflows)
	a.GET("/workflows/:name", s.workflowDef)
	a.POST("/users", s.createUser, admin)
	a.GET("/users", s.listUsers, admin)
	a.GET("/fiscal-years", s.listFiscalYears)
	a.PUT("/fiscal-years/:year", s.putFiscalYear, admin)
	a.GET("/fiscal-years/:year/summary", s.fiscalYearSummary)
	a.GET("/fiscal-years/:year/ceiling-history", s.ceilingHistory)
	a.GET("/fiscal-years/:year/calendar-history", s.calendarHistory)
	a.GET("/coverage", s.coverage) // national coverage of Sentra IKM (coverage.go)

	// Proposals and what they hold (proposals.go, events.go, documents.go,
	// attachments.go, trail.go).
	a.POST("/proposals", s.createProposal, pemda)
	a.GET("/proposals/import-template", s.importTemplate, pemda) // bulk import (proposal_template.go, proposal_import.go)
	a.POST("/proposals/import", s.importProposals, pemda)
	a.GET("/proposals", s.listProposals)
	a.GET("/proposals/:id", s.getProposal)
	a.PUT("/proposals/:id", s.putProposal, pemda)
	a.POST("/proposals/:id/events", s.fireEvent)
	a.GET("/proposals/:id/events", s.listEvents)
	a.GET("/proposals/:id/documents", s.listDocuments)
	a.GET("/proposals/:id/revisions", s.listRevisions)
	a.POST("/proposals/:id/attachments", s.uploadAttachment, pemda)
	a.GET("/proposals/:id/attachments", s.listAttachments)
	a.GET("/attachments/:id/file", s.downloadAttachment)
	a.GET("/proposals/:id/trail", s.getTrail)
	a.GET("/documents/:id", s.getDocument)
	a.GET("/documents/:id/pdf", s.getDocumentPDF)

	// The sentra registry (PRODUCT.md §9: sentra.go, sentra_export.go,
	// sentra_import.go): a pemda registers in its own region, a verifier
	// or an administrator anywhere; statuses by a pemda or a verifier.
	registrar := requireRole(dak.RolePemda, dak.RoleVerifier, dak.RoleAdmin)
	a.GET("/sentra", s.listSentra)
	a.POST("/sentra", s.createSentra, registrar)
	a.POST("/sentra/import", s.importSentra, registrar)
	a.GET("/sentra/:id", s.getSentra)
	a.PUT("/sentra/:id", s.putSentra, registrar)
	a.POST("/sentra/:id/status", s.postSentraStatus, requireRole(dak.RolePemda, dak.RoleVerifier))

	// The auditor's work (PRODUCT.md §5): a region's or a year's trails as
	// one ZIP built in the background, and the log of every download
	// (exports.go, access_log.go).
	a.POST("/trail-exports", s.createExport, auditor)
	a.GET("/trail-exports", s.listExports, auditor)
	a.GET("/trail-exports/:id", s.getExport, auditor)
	a.GET("/trail-exports/:id/zip", s.downloadExport, auditor)
	a.GET("/access-log", s.listAccessLog, auditorOrAdmin)

	// Use after completion (PRODUCT.md §9; sentra_reports.go,
	// sentra_photos.go, monitoring.go): the pemda's semester reports and
	// their photos, the ministry's field visits, and the sentra overdue or
	// unused.
	a.POST("/sentra/:id/reports", s.fileSentraReport, pemda)
	a.GET("/sentra/:id/reports", s.listSentraReports)
	a.POST("/sentra/:id/reports/:rid/photos", s.uploadReportPhoto, pemda)
	a.GET("/sentra/:id/reports/:rid/photos/:pid", s.reportPhoto)
	a.POST("/sentra/:id/visits", s.recordSentraVisit, requireRole(dak.RoleVerifier))
	a.GET("/monitoring", s.listMonitoring, monitors)

	p := s.pages
	if p == nil {
		return // a server without templates serves the API alone
	}
	// The pages, public part: assets and the login form (pages.go,
	// page_auth.go).
	e.GET("/static/*", p.serveStatic)
	e.GET("/login", p.loginForm)
	e.POST("/login", p.loginSubmit, limitLogin)

	// The pages with a session; each form POSTed carries its CSRF token.
	session, form := p.session, p.csrf
	e.POST("/logout", p.logout, session, form)
	e.GET("/", p.home, session)
	e.GET("/proposals", p.search, session)
	e.GET("/proposals/ekspor", s.proposalsDownload, session) // spreadsheets and the bulk import (page_sheets.go)
	e.GET("/ringkasan/ekspor", s.summaryDownload, session)
	e.GET("/proposals/impor", p.proposalImportForm, session, pemda)
	e.POST("/proposals/impor", p.proposalImportUpload, session, form, pemda)
	e.GET("/proposals/impor/templat.xlsx", s.importTemplate, session, pemda)
	e.GET("/proposals/new", p.newProposal, session, pemda)
	e.POST("/proposals", p.createProposal, session, form, pemda)
	e.GET("/proposals/:id", p.proposal, session)
	e.GET("/proposals/:id/edit", p.editProposal, session, pemda)
	e.POST("/proposals/:id/edit", p.updateProposal, session, form, pemda)
	e.POST("/proposals/:id/attachments", p.uploadAttachment, session, form, pemda)
	e.POST("/proposals/:id/events/:event", p.fireEvent, session, form)
	e.GET("/proposals/:id/trail", s.getTrail, session)
	e.GET("/documents/:id/pdf", s.getDocumentPDF, session)
	e.GET("/attachments/:id/file", s.downloadAttachment, session)
	e.GET("/ui/regions", s.regions, session)
	e.GET("/exports", p.exports, session, auditor)
	e.POST("/exports", p.requestExport, session, form, auditor)
	e.GET("/exports/:id", p.export, session, auditor)
	e.GET("/exports/:id/zip", s.downloadExport, session, auditor)
	e.GET("/access-log", p.accessLog, session, auditorOrAdmin)
	e.GET("/coverage", p.coverage, session) // the coverage map and tables (page_coverage.go)
	e.GET("/sentra", p.sentraList, session) // the sentra registry (page_sentra.go)
	e.GET("/sentra/ekspor", s.sentraDownload, session)
	e.GET("/sentra/:id", p.sentraDetail, session)
	// Its forms (page_sentra_registry_forms.go, page_sentra_import.go),
	// with the API's roles.
	e.GET("/sentra/baru", p.newSentraForm, session, registrar)
	e.POST("/sentra/baru", p.registerSentra, session, form, registrar)
	e.GET("/sentra/:id/ubah", p.editSentraForm, session, registrar)
	e.POST("/sentra/:id/ubah", p.editSentra, session, form, registrar)
	e.GET("/sentra/:id/status", p.sentraStatusForm, session, requireRole(dak.RolePemda, dak.RoleVerifier))
	e.POST("/sentra/:id/status", p.recordSentraStatus, session, form, requireRole(dak.RolePemda, dak.RoleVerifier))
	e.GET("/sentra/impor", p.sentraImportForm, session, registrar)
	e.POST("/sentra/impor", p.sentraImportUpload, session, form, registrar)
	e.GET("/sentra/impor/templat.csv", p.sentraImportTemplate, session, registrar)

	// Use after completion (page_monitoring.go, page_sentra_reports.go,
	// page_sentra_forms.go).
	e.GET("/pemantauan", p.monitoring, session, monitors)
	// The dashboards (PRODUCT.md §10; page_dashboard.go).
	e.GET("/dasbor", p.dashboard, session, requireRole(dak.RoleApprover, dak.RoleAdmin, dak.RoleAuditor))
	e.GET("/sentra/:id/laporan", p.sentraReports, session)
	e.POST("/sentra/:id/laporan", p.fileSentraReport, session, form, pemda)
	e.POST("/sentra/:id/laporan/:rid/foto", p.uploadReportPhoto, session, form, pemda)
	e.GET("/sentra/:id/laporan/:rid/foto/:pid", s.reportPhoto, session)
	e.POST("/sentra/:id/kunjungan", p.recordVisit, session, form, requireRole(dak.RoleVerifier))

	// Notifications: the list, marking read, mail on or off
	// (page_notifications.go).
	e.GET("/notifikasi", p.notifications, session)
	e.POST("/notifikasi/baca-semua", p.readAllNotifications, session, form)
	e.POST("/notifikasi/email", p.setNotificationMail, session, form)
	e.POST("/notifikasi/:id/baca", p.readNotification, session, form)

	// Administration pages (page_admin.go).
	e.GET("/admin/users", p.adminUsers, session, admin)
	e.POST("/admin/users", p.adminCreateUser, session, form, admin)
	e.GET("/admin/users/:id", p.adminUser, session, admin)
	e.POST("/admin/users/:id", p.adminUpdateUser, session, form, admin)
	e.POST("/admin/users/:id/password", p.adminResetPassword, session, form, admin)
	e.POST("/admin/users/:id/status", p.adminSetStatus, session, form, admin)
	e.GET("/admin/fiscal-years", p.adminFiscalYears, session, admin)
	e.POST("/admin/fiscal-years", p.adminSetFiscalYear, session, form, admin)
}

// Routes lists every route the server registered, as echo holds them, so
// that a test can hold each one to a rule: the authorization matrix
// (authz_matrix_test.go) fails for a route it has no rule for.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }
