"""Browser pages of the projects, one module per area: lists (everyone, scoped), the coordinator's board,
one project and its parts, documents, history and exports."""
