from webwidget.server import main

main()
