from pyweb_scaffold.cli import main

main()
