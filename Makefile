.PHONY: demo test lint env
demo:  ## set up what is missing and run Odoo with the addons and demo data on :8069
	bash tools/dev.sh demo
test:  ## set up what is missing, lint and run every test
	bash tools/dev.sh test
lint:
	bash tools/dev.sh lint
env:
	bash tools/dev.sh env
